using System.Buffers;
using System.Threading.Channels;
using Messaging.Rooms;
using Messaging.WebFront.Connections;
using Messaging.WebFront.Protocol;
using Microsoft.Extensions.Logging;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// The one ordered path of a room on this front. Live pushes, heartbeats, renewals, joins and
/// leaves all pass through one queue and one consumer, so every local member sees the room's
/// messages in seq order, once, without gaps: a push that skips ahead first fetches the range.
/// </summary>
internal sealed partial class RoomFeed
{
    /// <summary>The most missed messages a join with <c>since</c> delivers; past it the client pages history.</summary>
    public const int MaxRecovery = 1000;

    // How long an early push waits for the ones before it before the gap is fetched from storage;
    // reordered pushes arrive within microseconds, a lost one is repaired after this.
    private static readonly TimeSpan ReorderWait = TimeSpan.FromMilliseconds(100);

    // How long a renewal answer that is ahead of the pushes waits for them before it counts as a
    // loss: a push queued behind a busy front can take far longer than a reorder.
    private static readonly TimeSpan RenewalAheadWait = TimeSpan.FromSeconds(1);

    // Past this many held pushes the gap is fetched at once rather than waited for.
    private const int MaxEarlyPushes = 64;

    // Signals that left one member's write together at most (a room's queue under load).
    private const int MaxSignalRun = 64;

    private readonly FrontDelivery _front;
    private readonly IRoomGrain _grain;
    private readonly int _gapFetchBatch;
    private readonly ILogger _logger;
    private readonly Channel<FeedWork> _queue = Channel.CreateUnbounded<FeedWork>(new UnboundedChannelOptions { SingleReader = true });

    // Member → the seq it joined at; it receives only messages after that.
    private readonly Dictionary<ClientConnection, long> _members = [];

    // Pushes that arrived ahead of a predecessor, by first seq. Orleans does not keep one-way calls
    // in order, so a push is often overtaken by the next; it is held briefly instead of fetched.
    private readonly SortedDictionary<long, IReadOnlyList<StoredMessage>> _early = [];

    // The last seq handed to the members' queues (or the room's seq when the first member joined).
    // Written only by the feed's loop; DeliverRun publishes it before any member gets the run, and
    // ClientConnection.EnqueueAck reads it from other threads.
    private long _lastDelivered = -1;
    private bool _gapCheckScheduled;
    private int _pending;

    // Renewals a send answer stood in for. At most MaxSkippedRenewals in a row are skipped: the
    // full renewal also re-sends the member list, settles the sole front and returns evictions,
    // which corrects what a lost join, leave or removal push left wrong.
    private const int MaxSkippedRenewals = 3;
    private int _leaseRenewedBySend;
    private int _skippedRenewals;
    private bool _mustRenew;
    private int _renewedGeneration;

    public RoomFeed(string room, FrontDelivery front, IRoomGrain grain, int gapFetchBatch, ILogger logger)
    {
        Room = room;
        _front = front;
        _grain = grain;
        _gapFetchBatch = gapFetchBatch;
        _logger = logger;
        _ = Task.Run(RunAsync);
    }

    public string Room { get; }

    /// <summary>Work queued but not yet taken; read under the front's lock to decide if the feed may close.</summary>
    // Counted by hand: a single-reader unbounded channel cannot count its items (Count throws).
    public int Pending => Volatile.Read(ref _pending);

    public int MemberCount => _members.Count;

    /// <summary>The last seq this feed has started handing to its members.</summary>
    public long HandedOutSeq => Volatile.Read(ref _lastDelivered);

    /// <summary>A send answer renewed this front's lease in the room (called from the room's outbox).</summary>
    public void NoteLeaseRenewed() => Volatile.Write(ref _leaseRenewedBySend, 1);

    public bool Post(FeedWork work)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(work))
        {
            return true;
        }

        Interlocked.Decrement(ref _pending);
        return false;
    }

    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        List<RoomSignal> signals = [];
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var work))
            {
                Interlocked.Decrement(ref _pending);
                if (work is FeedWork.Signal signal && reader.TryPeek(out var next) && next is FeedWork.Signal)
                {
                    signals.Add(signal.Value);
                    TakeQueuedSignals(reader, signals);
                    try
                    {
                        DeliverSignals(signals);
                    }
                    catch (Exception ex)
                    {
                        // As for any work: the room's path here must outlive one bad item.
                        LogWorkFailed(ex, Room, nameof(DeliverSignals));
                    }

                    signals.Clear();
                    continue;
                }

                await RunOneAsync(work).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Signals queued behind the one taken leave with it: one write per member, not one per signal.</summary>
    private void TakeQueuedSignals(ChannelReader<FeedWork> reader, List<RoomSignal> signals)
    {
        while (signals.Count < MaxSignalRun && reader.TryPeek(out var next) && next is FeedWork.Signal queued && reader.TryRead(out _))
        {
            Interlocked.Decrement(ref _pending);
            signals.Add(queued.Value);
        }
    }

    private async Task RunOneAsync(FeedWork work)
    {
        try
        {
            await ProcessAsync(work).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // What failed may have left the room's view of this front wrong: renew in full next time.
            _mustRenew = true;
            LogWorkFailed(ex, Room, work.GetType().Name);
            switch (work)
            {
                case FeedWork.Join join:
                    join.Completion.TrySetException(ex);
                    break;
                case FeedWork.Leave leave:
                    leave.Completion.TrySetResult();
                    break;
            }
        }
    }

    private async Task ProcessAsync(FeedWork work)
    {
        switch (work)
        {
            case FeedWork.Batch batch:
                await DeliverAsync(batch.Messages.Messages).ConfigureAwait(false);
                break;
            case FeedWork.Signal signal:
                DeliverSignal(signal.Value);
                break;
            case FeedWork.Presence presence:
                DeliverToAll(ServerFrames.PresenceDiff(presence.Diff));
                break;
            case FeedWork.Heartbeat heartbeat:
                await CatchUpIfBehindAsync(heartbeat.LatestSeq).ConfigureAwait(false);
                break;
            case FeedWork.Join join:
                await JoinAsync(join).ConfigureAwait(false);
                break;
            case FeedWork.Leave leave:
                await LeaveAsync(leave).ConfigureAwait(false);
                break;
            case FeedWork.Renew renew:
                await RenewAsync(renew.Periodic).ConfigureAwait(false);
                break;
            case FeedWork.GapCheck:
                await RepairGapAsync().ConfigureAwait(false);
                break;
            case FeedWork.Removed removed:
                Remove(removed.User, removed.Reason);
                break;
        }
    }

    private async Task JoinAsync(FeedWork.Join join)
    {
        var connection = join.Connection;
        if (join.Implicit && _members.ContainsKey(connection))
        {
            join.Completion.TrySetResult(new RoomJoinResult(_lastDelivered, 0));
            return;
        }

        var endings = _front.SoleFrontEndings;
        var result = await _grain.JoinAsync(_front.FrontId, _front.Reference, connection.User).ConfigureAwait(false);
        if (result.Access != RoomAccess.Allowed)
        {
            // Refused by the room (private, deleted or banned): the connection answers the error.
            // A member this connection already was is taken out too: the room no longer counts it.
            if (_members.Remove(connection) && _members.Count == 0)
            {
                _front.TryRetire(this);
            }

            join.Completion.TrySetResult(result);
            return;
        }

        _front.ApplySoleFront(Room, result.SoleFront, endings);
        if (_members.ContainsKey(connection))
        {
            // A repeated join answers again but must not count the connection twice in the room.
            await _grain.LeaveAsync(_front.FrontId, connection.User).ConfigureAwait(false);
            connection.Enqueue(ServerFrames.Joined(join.CommandId, Room, result with { Seq = Math.Max(_lastDelivered, 0) }, recovered: null));
            join.Completion.TrySetResult(result);
            return;
        }

        List<StoredMessage>? backlog = null;
        bool? recovered = null;
        try
        {
            if (_lastDelivered < 0)
            {
                _lastDelivered = result.Seq;
            }
            else if (result.Seq > _lastDelivered)
            {
                await CatchUpAsync(result.Seq).ConfigureAwait(false);
            }

            if (join.Since is { } since)
            {
                recovered = result.Seq - since <= MaxRecovery;
                if (recovered.Value && since < result.Seq)
                {
                    // Retention may have pruned the start of the range: then the client pages history instead.
                    backlog = await FetchAsync(since, result.Seq, nullWhenPruned: true).ConfigureAwait(false);
                    recovered = backlog is not null;
                }
            }
        }
        catch
        {
            // The room counted this connection; take it back before the join fails.
            await _grain.LeaveAsync(_front.FrontId, connection.User).ConfigureAwait(false);
            throw;
        }

        // `joined` goes out before anything this member receives from the room, then the missed
        // messages (since, joined.seq], then live ones above joined.seq: one path, no gap, no repeat.
        if (!join.Implicit)
        {
            connection.Enqueue(ServerFrames.Joined(join.CommandId, Room, result, recovered));
        }

        if (result.SignalsThroughRoom)
        {
            _front.MarkSignalsThroughRoom(Room);
        }

        // A room with a kind may hand the joiner its current state, as a signal from `room`.
        if (result.Welcome is { } welcome)
        {
            connection.Enqueue(ServerFrames.Signal(new RoomSignal(Room, "room", string.Empty, welcome, null)));
        }

        if (backlog is not null)
        {
            connection.Enqueue(backlog.Select(Frame).ToArray());
            _front.Metrics.Delivered(backlog.Count);
        }

        _members.Add(connection, result.Seq);
        join.Completion.TrySetResult(result);
    }

    /// <summary>
    /// Stored messages (afterSeq, untilSeq], all of them, or an exception. With
    /// <paramref name="nullWhenPruned"/>, null when retention removed the start of the range.
    /// </summary>
    private async Task<List<StoredMessage>?> FetchAsync(long afterSeq, long untilSeq, bool nullWhenPruned = false)
    {
        var messages = new List<StoredMessage>();
        var next = afterSeq;
        while (next < untilSeq)
        {
            var range = await _grain.GetRangeAsync(next, untilSeq, _gapFetchBatch).ConfigureAwait(false);
            if (nullWhenPruned && next == afterSeq && range.Messages.Count > 0 && range.Messages[0].Seq > next + 1)
            {
                return null;
            }

            if (range.Messages.Count == 0 || range.Messages[0].Seq != next + 1)
            {
                throw new StorageUnavailableException("A stored range came back incomplete.");
            }

            messages.AddRange(range.Messages);
            next = range.Messages[^1].Seq;
        }

        return messages;
    }

    private void DeliverToAll(byte[] json)
    {
        var frame = WireFrame.Text(json);
        foreach (var connection in _members.Keys)
        {
            connection.Enqueue(frame);
        }
    }

    private void DeliverSignals(List<RoomSignal> signals)
    {
        // Each frame built once; each member gets the run without its own signals, in one write.
        var frames = new OutgoingFrame[signals.Count];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = new OutgoingFrame(WireFrame.Text(ServerFrames.Signal(signals[i])), 0);
        }

        var run = ArrayPool<OutgoingFrame>.Shared.Rent(frames.Length);
        try
        {
            foreach (var connection in _members.Keys)
            {
                var count = 0;
                for (var i = 0; i < frames.Length; i++)
                {
                    if (signals[i].OriginConnection != connection.Id)
                    {
                        run[count++] = frames[i];
                    }
                }

                if (count > 0)
                {
                    connection.EnqueueDroppable(run.AsSpan(0, count));
                }
            }
        }
        finally
        {
            ArrayPool<OutgoingFrame>.Shared.Return(run, clearArray: true);
        }
    }

    private void DeliverSignal(RoomSignal signal)
    {
        // Built once; each member may drop it when its queue is filling (signals go first).
        var frame = WireFrame.Text(ServerFrames.Signal(signal));
        foreach (var connection in _members.Keys)
        {
            if (connection.Id != signal.OriginConnection)
            {
                connection.EnqueueDroppable(frame);
            }
        }
    }

    private async Task LeaveAsync(FeedWork.Leave leave)
    {
        if (_members.Remove(leave.Connection))
        {
            try
            {
                await _grain.LeaveAsync(_front.FrontId, leave.Connection.User).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The next renewal sends the true member list; nothing is lost by failing here.
                _mustRenew = true;
                LogWorkFailed(ex, Room, nameof(FeedWork.Leave));
            }
        }

        leave.Completion.TrySetResult();
        if (_members.Count == 0)
        {
            _front.TryRetire(this);
        }
    }

    private async Task RenewAsync(bool periodic)
    {
        if (_members.Count == 0)
        {
            return;
        }

        var generation = _front.ReferenceGeneration;
        if (Interlocked.Exchange(ref _leaseRenewedBySend, 0) == 1 && periodic && !_mustRenew
            && generation == _renewedGeneration && _skippedRenewals < MaxSkippedRenewals)
        {
            _skippedRenewals++;
            return;
        }

        _skippedRenewals = 0;
        _mustRenew = false;
        _renewedGeneration = generation;

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var connection in _members.Keys)
        {
            counts[connection.User] = counts.GetValueOrDefault(connection.User) + 1;
        }

        var endings = _front.SoleFrontEndings;
        var renewal = await _grain.RenewAsync(new Messaging.Delivery.FrontLease(_front.FrontId, _front.Reference, counts)).ConfigureAwait(false);
        _front.ApplySoleFront(Room, renewal.SoleFront, endings);
        foreach (var (user, reason) in renewal.Evicted ?? new Dictionary<string, string>())
        {
            Remove(user, reason);
        }

        if (_lastDelivered >= 0 && renewal.Seq > _lastDelivered)
        {
            // The answer can overtake a push the room sent before answering: that push may be
            // queued behind this renewal. Only if it has still not arrived when this check comes
            // round was it lost. Treating the race as a loss cost a range read from storage and a
            // new observer reference, whose swap then lost real pushes (seen under bench `chat`).
            _ = PostLaterAsync(new FeedWork.Heartbeat(renewal.Seq), RenewalAheadWait);
        }
    }

    private async Task PostLaterAsync(FeedWork work, TimeSpan delay)
    {
        await Task.Delay(delay).ConfigureAwait(false);
        Post(work);
    }

    /// <summary>
    /// The room removed <paramref name="user"/> (moderation, membership, deletion): its connections
    /// here stop receiving the room and are told why. The room has already stopped counting them.
    /// </summary>
    private void Remove(string user, string reason)
    {
        List<ClientConnection>? removed = null;
        foreach (var connection in _members.Keys)
        {
            if (connection.User == user)
            {
                (removed ??= []).Add(connection);
            }
        }

        if (removed is null)
        {
            return;
        }

        var frame = WireFrame.Text(ServerFrames.Removed(Room, reason));
        foreach (var connection in removed)
        {
            _members.Remove(connection);
            connection.OnRemovedFromRoom(Room);
            connection.Enqueue(frame);
        }

        if (_members.Count == 0)
        {
            _front.TryRetire(this);
        }
    }

    private async Task CatchUpIfBehindAsync(long latestSeq)
    {
        if (_lastDelivered >= 0 && latestSeq > _lastDelivered)
        {
            // The room committed messages this front never received: a push was lost.
            _front.ReportMissedPush();
            LogGap(Room, _lastDelivered, latestSeq);
            await CatchUpAsync(latestSeq).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(IReadOnlyList<StoredMessage> messages)
    {
        if (_lastDelivered < 0 || messages.Count == 0)
        {
            return;
        }

        if (messages[0].Seq > _lastDelivered + 1)
        {
            _early.TryAdd(messages[0].Seq, messages);
            if (_early.Count > MaxEarlyPushes)
            {
                await RepairGapAsync().ConfigureAwait(false);
            }
            else
            {
                ScheduleGapCheck();
            }

            return;
        }

        DeliverContiguous(messages);
        DeliverHeldPushes();
    }

    /// <summary>Delivers the messages that follow the last delivered one; a committed batch has no gaps.</summary>
    private void DeliverContiguous(IReadOnlyList<StoredMessage> messages)
    {
        if (messages.Count == 1)
        {
            if (messages[0].Seq == _lastDelivered + 1)
            {
                DeliverOne(messages[0]);
            }

            return;
        }

        // Each message is framed once; each member then gets its whole run in one call, so a
        // committed batch leaves in one write per socket rather than one per message.
        var run = new OutgoingFrame[messages.Count];
        var seqs = new long[messages.Count];
        var count = 0;
        var next = _lastDelivered + 1;
        foreach (var message in messages)
        {
            if (message.Seq == next)
            {
                run[count] = Frame(message);
                seqs[count++] = next++;
            }
        }

        if (count > 0)
        {
            DeliverRun(run.AsSpan(0, count), seqs.AsSpan(0, count));
        }
    }

    private void DeliverHeldPushes()
    {
        while (_early.Count > 0)
        {
            var (first, messages) = _early.First();
            if (first > _lastDelivered + 1)
            {
                return;
            }

            _early.Remove(first);
            DeliverContiguous(messages);
        }
    }

    private async Task RepairGapAsync()
    {
        _gapCheckScheduled = false;
        DeliverHeldPushes();
        if (_early.Count == 0)
        {
            return;
        }

        var first = _early.Keys.First();
        LogGap(Room, _lastDelivered, first);
        await CatchUpAsync(first - 1).ConfigureAwait(false);
        if (_early.Count > 0)
        {
            // Storage could not fill it now: look again later (heartbeats repair it too).
            ScheduleGapCheck();
        }
    }

    private void ScheduleGapCheck()
    {
        if (!_gapCheckScheduled)
        {
            _gapCheckScheduled = true;
            _ = PostLaterAsync(new FeedWork.GapCheck(), ReorderWait);
        }
    }

    /// <summary>Fetches and delivers (lastDelivered, untilSeq] from the room.</summary>
    private async Task CatchUpAsync(long untilSeq)
    {
        while (_lastDelivered < untilSeq)
        {
            RoomMessageBatch range;
            try
            {
                range = await _grain.GetRangeAsync(_lastDelivered, untilSeq, _gapFetchBatch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogWorkFailed(ex, Room, "gap fetch");
                return;
            }

            if (range.Messages.Count == 0 || range.Messages[0].Seq != _lastDelivered + 1)
            {
                LogRangeIncomplete(Room, _lastDelivered, untilSeq);
                return;
            }

            DeliverContiguous(range.Messages);
            if (_lastDelivered != range.Messages[^1].Seq)
            {
                return;
            }
        }

        DeliverHeldPushes();
    }

    private void DeliverOne(StoredMessage message)
    {
        var frame = Frame(message);
        var seq = message.Seq;
        DeliverRun(new ReadOnlySpan<OutgoingFrame>(in frame), new ReadOnlySpan<long>(in seq));
    }

    /// <summary>
    /// Gives each member the part of a run of consecutive messages above its join point. The
    /// frames are shared by every member; members that joined mid-run already had the rest in
    /// their backlog.
    /// </summary>
    private void DeliverRun(ReadOnlySpan<OutgoingFrame> run, ReadOnlySpan<long> seqs)
    {
        Volatile.Write(ref _lastDelivered, seqs[^1]);
        var deliveries = 0;
        foreach (var (connection, joinedAt) in _members)
        {
            var first = 0;
            while (first < seqs.Length && seqs[first] <= joinedAt)
            {
                first++;
            }

            if (first < seqs.Length)
            {
                connection.Enqueue(run[first..]);
                deliveries += seqs.Length - first;
            }
        }

        _front.Metrics.Delivered(deliveries);
    }

    /// <summary>A stored message framed for the wire, once for the whole front.</summary>
    private OutgoingFrame Frame(StoredMessage message) => new(WireFrame.Text(ServerFrames.Message(Room, message)), message.Ts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: {Work} failed.")]
    private partial void LogWorkFailed(Exception exception, string room, string work);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {Room}: gap after seq {LastDelivered} (room at {Seq}); fetching the range.")]
    private partial void LogGap(string room, long lastDelivered, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: range ({After}, {Until}] came back incomplete; will retry on the next heartbeat.")]
    private partial void LogRangeIncomplete(string room, long after, long until);
}
