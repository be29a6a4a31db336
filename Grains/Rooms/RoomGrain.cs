using Messaging.Delivery;
using Messaging.Rooms.Kinds;
using Messaging.Storage;
using Messaging.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Messaging.Rooms;

/// <summary>
/// Orders, stores and fans out a room's messages. Reentrant so that sends arriving while a
/// commit is in flight queue into the next batch (group commit); every state change below
/// happens between awaits, so interleaving never sees half of one.
/// </summary>
[Reentrant]
internal sealed partial class RoomGrain : Grain, IRoomGrain, IRoomAdminGrain
{
    private const int MaxRange = 1000;

    private readonly IMessageStore _store;
    private readonly IRoomRecords _records;
    private readonly CommitBatcher _commits;
    private readonly IPersistentState<RoomState> _state;
    private readonly RoomKindRegistry _kinds;
    private readonly RoomKindOptions _kindOptions;
    private readonly Hosting.RoomEventStreamOptions _streamOptions;
    private readonly Telemetry.RoomEventMetrics _eventMetrics;
    private readonly IServiceProvider _services;
    private readonly RoomOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomGrain> _logger;
    private readonly Dictionary<string, FrontSubscription> _fronts = new(StringComparer.Ordinal);
    private readonly List<PendingSend> _pending = [];

    // -1: not known. After any failed or conflicting commit the database is asked again,
    // because a commit whose answer was lost may have landed.
    private long _lastSeq = -1;
    private long _lastPushAt;
    private bool _flushing;
    private IGrainTimer? _timer;

    // The timer ticks every heartbeat period only while a front awaits a heartbeat; otherwise it
    // only watches leases, a few times per lease (see LeaseCheckPeriod).
    private bool _timerWatchesPushes;

    // The two users of a direct room (empty for other rooms), parsed from the key once.
    private (string First, string Second)? _direct;

    public RoomGrain(
        IMessageStore store,
        IRoomRecords records,
        CommitBatcher commits,
        [PersistentState("room", StorageNames.Rooms)] IPersistentState<RoomState> state,
        IOptions<RoomOptions> options,
        RoomKindRegistry kinds,
        IOptions<RoomKindOptions> kindOptions,
        IOptions<Hosting.RoomEventStreamOptions> streamOptions,
        Telemetry.RoomEventMetrics eventMetrics,
        IServiceProvider services,
        TimeProvider time,
        ILogger<RoomGrain> logger)
    {
        _store = store;
        _records = records;
        _commits = commits;
        _state = state;
        _options = options.Value;
        _kinds = kinds;
        _kindOptions = kindOptions.Value;
        _streamOptions = streamOptions.Value;
        _eventMetrics = eventMetrics;
        _services = services;
        _time = time;
        _logger = logger;
    }

    private string Room => this.GetPrimaryKeyString();

    public async Task<RoomJoinResult> JoinAsync(string frontId, IRoomObserver observer, string user)
    {
        var access = AccessFor(user);
        if (access != RoomAccess.Allowed)
        {
            return RoomJoinResult.Refused(access);
        }

        await EnsureCreatedAsync().ConfigureAwait(true);
        string? welcome = null;
        if (_kind is { } kind)
        {
            (var refusal, welcome) = await AskKindToJoinAsync(kind, user).ConfigureAwait(true);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        var lastSeq = await GetLastSeqAsync().ConfigureAwait(true);

        if (!_fronts.TryGetValue(frontId, out var front))
        {
            front = new FrontSubscription(observer);
            _fronts[frontId] = front;
        }

        front.Observer = observer;
        AddConnection(front, user);
        front.LeaseExpiry = _time.GetUtcNow() + _options.FrontLease;
        EnsureTimer();
        EnsureTicking();
        var sole = await SettleSoleFrontAsync(frontId).ConfigureAwait(true);
        return new RoomJoinResult(lastSeq, _online.Count, Welcome: welcome, SignalsThroughRoom: _kind is not null, SoleFront: sole);
    }

    public Task LeaveAsync(string frontId, string user)
    {
        if (_fronts.TryGetValue(frontId, out var front))
        {
            RemoveConnection(front, user);
            if (front.Members.Count == 0)
            {
                _fronts.Remove(frontId);
            }
        }

        return Task.CompletedTask;
    }

    public async Task<RoomRenewal> RenewAsync(FrontLease lease)
    {
        var lastSeq = await GetLastSeqAsync().ConfigureAwait(true);
        var members = lease.Members;
        var evicted = FindRefused(members);
        if (evicted is not null)
        {
            members = members.Where(m => !evicted.ContainsKey(m.Key)).ToDictionary(StringComparer.Ordinal);
        }

        if (members.Count == 0)
        {
            DropFront(lease.FrontId);
            return new RoomRenewal(lastSeq, evicted);
        }

        if (!_fronts.TryGetValue(lease.FrontId, out var front))
        {
            front = new FrontSubscription(lease.Observer);
            _fronts[lease.FrontId] = front;
            LogFrontResubscribed(Room, lease.FrontId);
        }

        front.Observer = lease.Observer;
        ReplaceMembers(front, members);
        front.LeaseExpiry = _time.GetUtcNow() + _options.FrontLease;
        EnsureTimer();
        EnsureTicking();
        return new RoomRenewal(lastSeq, evicted, await SettleSoleFrontAsync(lease.FrontId).ConfigureAwait(true));
    }

    public async Task<SendResult[]> SendManyAsync(string? frontId, SendRequest[] requests)
    {
        if (requests.Length > RoomLimits.MaxSendMany)
        {
            throw new ArgumentException($"At most {RoomLimits.MaxSendMany} messages per call.", nameof(requests));
        }

        var pending = new PendingSend[requests.Length];
        var rules = _state.State.HasRules;
        for (var i = 0; i < requests.Length; i++)
        {
            var request = requests[i];
            var refusal = rules ? CheckSender(request.From) : SendStatus.Stored;
            if (refusal == SendStatus.Stored && _kind is { } kind)
            {
                // Only rooms with a kind await here; a plain room queues the whole batch at once.
                (var accepted, var rejected) = await AskKindToSendAsync(kind, request).ConfigureAwait(true);
                if (rejected is not null)
                {
                    pending[i] = new PendingSend(request);
                    pending[i].Completion.TrySetResult(rejected);
                    continue;
                }

                request = accepted!;
            }

            pending[i] = new PendingSend(request, frontId);
            if (refusal != SendStatus.Stored)
            {
                pending[i].Completion.TrySetResult(SendResult.Refused(refusal));
                continue;
            }

            _pending.Add(pending[i]);
        }

        StartFlushing();
        var results = new SendResult[requests.Length];
        for (var i = 0; i < pending.Length; i++)
        {
            results[i] = await pending[i].Completion.Task.ConfigureAwait(true);
        }

        // A front that sends is alive: its lease runs on from here, and it is told so, which saves
        // busy rooms most of their fronts' renewal calls (under bench `chat`, 500 a second).
        if (frontId is not null && results.Length > 0 && _fronts.TryGetValue(frontId, out var front))
        {
            front.LeaseExpiry = _time.GetUtcNow() + _options.FrontLease;
            results[^1] = results[^1] with { LeaseRenewed = true };
        }

        return results;
    }

    private void StartFlushing()
    {
        if (!_flushing)
        {
            // The flush loop runs on the activation's scheduler on its own; no caller waits for it,
            // so under steady load the one that started it is answered with its own batch.
            _flushing = true;
            _ = RunFlushLoopAsync();
        }
    }

    public Task SignalAsync(RoomSignal signal)
    {
        if (_kind is { } kind)
        {
            return KindSignalAsync(kind, signal);
        }

        Broadcast(static (observer, signal) => observer.OnSignalAsync(signal), signal, skipFront: signal.OriginFront);
        return Task.CompletedTask;
    }

    public Task<RoomPresence> GetPresenceAsync(string user)
    {
        var access = AccessFor(user);
        return Task.FromResult(access == RoomAccess.Allowed
            ? new RoomPresence(_online.Count, _online.Keys.Take(RoomPresence.MaxUsers).ToList())
            : new RoomPresence(0, [], access));
    }

    public async Task<RoomMessageBatch> GetRangeAsync(long afterSeq, long untilSeq, int max)
    {
        var messages = await ReadAsync(() => _store.ReadRangeAsync(Room, afterSeq, untilSeq, Math.Clamp(max, 1, MaxRange), CancellationToken.None)).ConfigureAwait(true);
        return new RoomMessageBatch(Room, messages);
    }

    public Task<RoomHistory> GetHistoryAsync(string user, long? beforeSeq, int limit)
    {
        var access = AccessFor(user);
        return access == RoomAccess.Allowed ? ReadHistoryAsync(beforeSeq, limit) : Task.FromResult(new RoomHistory(access, []));
    }

    private async Task<RoomHistory> ReadHistoryAsync(long? beforeSeq, int limit)
    {
        var before = beforeSeq ?? long.MaxValue;
        var messages = await ReadAsync(() => _store.ReadBeforeAsync(Room, before, Math.Clamp(limit, 1, MaxRange), CancellationToken.None)).ConfigureAwait(true);
        return new RoomHistory(RoomAccess.Allowed, messages);
    }

    private async Task RunFlushLoopAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // Nothing may be left waiting forever: fail whatever is still pending.
            LogStorageUnavailable(ex, Room);
            foreach (var send in _pending)
            {
                send.Completion.TrySetResult(SendResult.Unavailable);
            }

            _pending.Clear();
        }
        finally
        {
            _flushing = false;
        }
    }

    /// <summary>Commits everything pending, batch after batch, until nothing is left.</summary>
    private async Task FlushAsync()
    {
        while (_pending.Count > 0)
        {
            var take = _options.GroupCommit ? Math.Min(_pending.Count, _options.MaxBatch) : 1;
            var batch = _pending.GetRange(0, take);
            _pending.RemoveRange(0, take);

            var outcome = await CommitAsync(batch).ConfigureAwait(true);
            if (outcome is null)
            {
                foreach (var send in batch)
                {
                    send.Completion.TrySetResult(SendResult.Unavailable);
                }

                continue;
            }

            _lastSeq = outcome.LastSeq;
            var answeringFront = AnsweringFront(batch, outcome);
            var ts = outcome.Stored.Count > 0 ? outcome.Stored[0].Ts : 0;
            for (var i = 0; i < batch.Count; i++)
            {
                var duplicate = outcome.Duplicates[i];
                batch[i].Completion.TrySetResult(new SendResult(SendStatus.Stored, outcome.Seqs[i], duplicate, Ts: duplicate ? 0 : ts, InAnswer: answeringFront is not null && !duplicate));
            }

            if (outcome.Stored.Count > 0)
            {
                Push(new RoomMessageBatch(Room, outcome.Stored), skipFront: answeringFront);
                NotifyDirectUsers(outcome.Stored[0].Seq);
                Publish(Events.RoomEventKind.Messages, messages: outcome.Stored);
            }
        }
    }

    /// <summary>One group commit, renumbered and retried when another writer took our seqs. Null: storage unavailable.</summary>
    private async Task<CommitOutcome?> CommitAsync(List<PendingSend> batch)
    {
        var requests = batch.ConvertAll(p => p.Request);
        for (var attempt = 1; attempt <= _options.MaxCommitAttempts; attempt++)
        {
            try
            {
                if (_lastSeq < 0)
                {
                    _lastSeq = await _store.GetLastSeqAsync(Room, CancellationToken.None).ConfigureAwait(true);
                }

                var timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds();
                return await _commits.CommitAsync(new RoomCommit(Room, _lastSeq, requests, timestamp)).ConfigureAwait(true);
            }
            catch (Exception ex) when (_store.IsConflict(ex))
            {
                _lastSeq = -1;
                LogSeqConflict(Room, attempt);
            }
            catch (Exception ex)
            {
                _lastSeq = -1;
                LogStorageUnavailable(ex, Room);
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// A silo that shuts down hands its rooms over: each front with members renews at once, which
    /// activates the room elsewhere (state is already stored; seq comes from the database), so
    /// deliveries pause for one round trip instead of a renewal period.
    /// </summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown && _fronts.Count > 0)
        {
            LogHandingOff(Room, _fronts.Count);
            Broadcast(static (observer, room) => observer.OnRoomMovingAsync(room), Room);
        }

        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>
    /// The front that gets this commit in its call's answer instead of a push: the one whose call
    /// brought every message newly stored. Not in a room with a kind, which may have changed a body
    /// on its way in, so only the stored copy is true.
    /// </summary>
    private string? AnsweringFront(List<PendingSend> batch, CommitOutcome outcome)
    {
        if (_kind is not null || outcome.Stored.Count == 0)
        {
            return null;
        }

        string? front = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcome.Duplicates[i])
            {
                continue;
            }

            if (batch[i].FrontId is not { } from || (front is not null && front != from))
            {
                return null;
            }

            front = from;
        }

        return front;
    }

    /// <summary>Sends a committed batch once to every subscribed front but <paramref name="skipFront"/>, which has it in its answer (one-way; losses are repaired by the front).</summary>
    private void Push(RoomMessageBatch batch, string? skipFront)
    {
        _lastPushAt = _time.GetTimestamp();
        var oneWay = false;
        foreach (var (frontId, front) in _fronts)
        {
            if (frontId != skipFront)
            {
                front.AwaitsHeartbeat = oneWay = true;
            }
        }

        if (oneWay && !_timerWatchesPushes && _timer is { } timer)
        {
            _timerWatchesPushes = true;
            timer.Change(_options.HeartbeatPeriod, _options.HeartbeatPeriod);
        }

        Broadcast(static (observer, batch) => observer.OnMessagesAsync(batch), batch, skipFront);
    }

    /// <summary>
    /// One-way call to every subscribed front. A reference that fails at once is logged and skipped;
    /// the front notices anything it missed from the next heartbeat or renewal.
    /// </summary>
    private void Broadcast<T>(Func<IRoomObserver, T, Task> send, T value, string? skipFront = null)
    {
        foreach (var (frontId, front) in _fronts)
        {
            if (frontId == skipFront)
            {
                continue;
            }

            try
            {
                _ = send(front.Observer, value);
            }
            catch (Exception ex)
            {
                LogPushFailed(ex, Room, frontId);
            }
        }
    }

    /// <summary>A direct room reaches its two users on every front they are connected to, joined or not.</summary>
    private void NotifyDirectUsers(long firstSeq)
    {
        _direct ??= DirectRoom.TryParse(Room, out var a, out var b) ? (a, b) : (string.Empty, string.Empty);
        var (first, second) = _direct.Value;
        if (first.Length > 0)
        {
            GrainFactory.GetGrain<IUserConnectionsGrain>(first).NotifyDirectAsync(Room, firstSeq).Ignore();
            if (second != first)
            {
                GrainFactory.GetGrain<IUserConnectionsGrain>(second).NotifyDirectAsync(Room, firstSeq).Ignore();
            }
        }
    }

    private async Task<long> GetLastSeqAsync()
    {
        if (_lastSeq >= 0)
        {
            return _lastSeq;
        }

        var lastSeq = await ReadAsync(() => _store.GetLastSeqAsync(Room, CancellationToken.None)).ConfigureAwait(true);

        // A commit may have finished while we were reading; never go backwards.
        if (_lastSeq < lastSeq)
        {
            _lastSeq = lastSeq;
        }

        return _lastSeq;
    }

    private async Task EnsureCreatedAsync()
    {
        if (_state.State.CreatedAt is not null)
        {
            return;
        }

        // State writes never overlap: administration writes under the same gate.
        await _settingsGate.WaitAsync().ConfigureAwait(true);
        try
        {
            if (_state.State.CreatedAt is not null)
            {
                return;
            }

            _state.State.CreatedAt = _time.GetUtcNow();
            await _state.WriteStateAsync().ConfigureAwait(true);
        }
        catch (InconsistentStateException)
        {
            // Another activation created the room first; its record stands.
            await _state.ReadStateAsync().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            _state.State.CreatedAt = null;
            LogStorageUnavailable(ex, Room);
            throw new StorageUnavailableException();
        }
        finally
        {
            _settingsGate.Release();
        }
    }

    private async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogStorageUnavailable(ex, Room);
            throw new StorageUnavailableException();
        }
    }

    private void EnsureTimer()
    {
        if (_timer is not null)
        {
            return;
        }

        var period = LeaseCheckPeriod;
        _timerWatchesPushes = false;
        _timer = this.RegisterGrainTimer(OnTimerAsync, new GrainTimerCreationOptions
        {
            DueTime = period,
            Period = period,
            Interleave = true,
            KeepAlive = false,
        });
    }

    /// <summary>
    /// How often a room with no heartbeat to send looks for lapsed leases: a sixth of the lease
    /// (5 s by default), so a dead front is dropped at most that long after its lease ends. A
    /// per-second tick in every subscribed room was, under bench `chat` (2,500 rooms whose every
    /// message went back in its sender's answer), 2,500 timer turns a second that found nothing.
    /// </summary>
    private TimeSpan LeaseCheckPeriod => _options.FrontLease / 6 > _options.HeartbeatPeriod ? _options.FrontLease / 6 : _options.HeartbeatPeriod;

    private void SendHeartbeat(string frontId, IRoomObserver observer)
    {
        try
        {
            _ = observer.OnHeartbeatAsync(Room, _lastSeq);
        }
        catch (Exception ex)
        {
            LogPushFailed(ex, Room, frontId);
        }
    }

    private Task OnTimerAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        List<string>? expired = null;
        foreach (var (frontId, front) in _fronts)
        {
            if (front.LeaseExpiry < now)
            {
                (expired ??= []).Add(frontId);
            }
        }

        if (expired is not null)
        {
            foreach (var frontId in expired)
            {
                DropFront(frontId);
                LogFrontExpired(Room, frontId);
            }
        }

        if (_fronts.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
            return Task.CompletedTask;
        }

        // Only once the room has gone quiet: while pushes flow, the next one reveals a lost one by
        // its seq. Sent every period while active (under bench `chat` a room pushes about once a
        // period), a heartbeat could overtake its push, as fronts dispatch messages in parallel,
        // and look like a loss. Only fronts sent messages one-way get it: an answer is not lost
        // unseen (a front whose send call failed renews at once, and the renewal's seq shows it).
        if (_timerWatchesPushes && _time.GetElapsedTime(_lastPushAt) >= _options.HeartbeatPeriod)
        {
            foreach (var (frontId, front) in _fronts)
            {
                if (front.AwaitsHeartbeat)
                {
                    front.AwaitsHeartbeat = false;
                    SendHeartbeat(frontId, front.Observer);
                }
            }

            _timerWatchesPushes = false;
            _timer?.Change(LeaseCheckPeriod, LeaseCheckPeriod);
        }

        return Task.CompletedTask;
    }
}
