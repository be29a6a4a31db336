using System.Collections.Concurrent;
using Messaging.Delivery;
using Messaging.Rooms;
using Messaging.Users;
using Messaging.WebFront.Connections;
using Messaging.WebFront.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// This front's single observer for all rooms, and the registry of its room feeds. Rooms push
/// each batch here once; the feed of that room delivers it to the local members.
/// </summary>
internal sealed partial class FrontDelivery(IGrainFactory grains, GrainReferences references, IOptions<DeliveryOptions> options, FrontMetrics metrics, ILogger<FrontDelivery> logger) : IRoomObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RoomFeed> _feeds = new(StringComparer.Ordinal);
    // User → its sockets here, as a small array replaced on every change: nearly every user has
    // one, and a concurrent set per user would cost each idle socket several hundred bytes.
    private readonly ConcurrentDictionary<string, ClientConnection[]> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _roomsTakingSignals = new(StringComparer.Ordinal);

    // Feeds and users by renewal slice, so a renewal tick visits only its own slice. Walking and
    // hashing every feed and user on each tick cost an idle front (bench `chat`, 2,500 rooms and
    // 5,000 users, two ticks a second) about a tenth of its CPU. Feeds change under _gate; a user
    // is added with its first socket and dropped by the renewal that finds it gone (see RenewSlice).
    private readonly (RenewalSlices Slices, HashSet<RoomFeed>[] Feeds, ConcurrentDictionary<string, byte>[] Users) _renewal = SliceUp(RenewalSlices.For(options.Value));

    // Rooms whose members are all here, by the room's last answer: their signals skip the room.
    private readonly ConcurrentDictionary<string, byte> _soleRooms = new(StringComparer.Ordinal);
    private readonly Lock _soleGate = new();
    private long _soleEndings;
    private IRoomObserver? _reference;
    private IRoomObserver? _replacedReference;
    private volatile bool _missedPush;
    private int _referenceGeneration;

    /// <summary>How the lease renewals of this front are cut up over a period.</summary>
    public RenewalSlices Slices => _renewal.Slices;

    /// <summary>The front's instruments, which its room feeds count deliveries on.</summary>
    public FrontMetrics Metrics => metrics;

    /// <summary>Identifies this front process to rooms; new on every start.</summary>
    public string FrontId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>The grain reference rooms push to; recreated when pushes go missing.</summary>
    public IRoomObserver Reference
    {
        get
        {
            lock (_gate)
            {
                return _reference ??= grains.CreateObjectReference<IRoomObserver>(this);
            }
        }
    }

    public Task OnMessagesAsync(RoomMessageBatch batch)
    {
        Post(batch.Room, new FeedWork.Batch(batch));
        return Task.CompletedTask;
    }

    /// <summary>Messages a room left to this front's own send call to deliver (see <see cref="SendResult.InAnswer"/>): the same path as a push.</summary>
    public void DeliverAnswered(RoomMessageBatch batch) => Post(batch.Room, new FeedWork.Batch(batch));

    /// <summary>
    /// A send call to <paramref name="room"/> came back: it renewed this front's lease there, or the
    /// room does not know this front (it lost its memory) or the call failed, in which case the feed
    /// renews at once rather than at the next period, so the room's other members' messages reach
    /// here again and anything stored without an answer is fetched.
    /// </summary>
    public void OnSendAnswered(string room, bool leaseRenewed)
    {
        if (FeedOf(room) is not { } feed)
        {
            return;
        }

        // A feed whose members have all left skips the renewal itself.
        if (leaseRenewed)
        {
            feed.NoteLeaseRenewed();
        }
        else
        {
            feed.Post(new FeedWork.Renew());
        }
    }

    /// <summary>Changes whenever the observer reference is replaced; a feed renews whenever it changed since its last renewal.</summary>
    public int ReferenceGeneration => Volatile.Read(ref _referenceGeneration);

    public Task OnSignalAsync(RoomSignal signal)
    {
        DeliverSignal(signal);
        return Task.CompletedTask;
    }

    /// <summary>Hands a signal to its room's feed here, which gives it to every local member but its sender.</summary>
    public void DeliverSignal(RoomSignal signal) => Post(signal.Room, new FeedWork.Signal(signal));

    public Task OnPresenceAsync(RoomPresenceDiff diff)
    {
        Post(diff.Room, new FeedWork.Presence(diff));
        return Task.CompletedTask;
    }

    public Task OnRemovedAsync(string room, string user, string reason)
    {
        Post(room, new FeedWork.Removed(user, reason));
        return Task.CompletedTask;
    }

    public Task OnRoomMovingAsync(string room)
    {
        // The room's next activation knows nothing of what this one answered: ask it afresh.
        EndSoleFront(room);
        Post(room, new FeedWork.Renew());
        return Task.CompletedTask;
    }

    public Task OnSoleFrontEndedAsync(string room)
    {
        EndSoleFront(room);
        return Task.CompletedTask;
    }

    /// <summary>True while every member of <paramref name="room"/> is on this front: a signal needs no trip through the room.</summary>
    public bool IsSoleFront(string room) => _soleRooms.ContainsKey(room);

    /// <summary>The feed delivering <paramref name="room"/> here, if any member is joined.</summary>
    public RoomFeed? FeedOf(string room)
    {
        lock (_gate)
        {
            return _feeds.GetValueOrDefault(room);
        }
    }

    /// <summary>Read before a join or renewal call, and handed back with its answer to <see cref="ApplySoleFront"/>.</summary>
    public long SoleFrontEndings => Volatile.Read(ref _soleEndings);

    /// <summary>
    /// Applies the room's answer to a join or renewal. A grant is dropped if any revocation arrived
    /// after the call left (<paramref name="endingsBefore"/>): it may have been answered before it.
    /// </summary>
    public void ApplySoleFront(string room, bool sole, long endingsBefore)
    {
        lock (_soleGate)
        {
            if (sole && _soleEndings == endingsBefore)
            {
                _soleRooms.TryAdd(room, 0);
            }
            else
            {
                _soleRooms.TryRemove(room, out _);
            }
        }
    }

    private void EndSoleFront(string room)
    {
        lock (_soleGate)
        {
            _soleEndings++;
            _soleRooms.TryRemove(room, out _);
        }
    }

    public Task OnHeartbeatAsync(string room, long latestSeq)
    {
        Post(room, new FeedWork.Heartbeat(latestSeq));
        return Task.CompletedTask;
    }

    /// <summary>True for a room with a kind: its signals go through the room, never straight to local members.</summary>
    public bool SignalsThroughRoom(string room) => _roomsTakingSignals.ContainsKey(room);

    public void MarkSignalsThroughRoom(string room) => _roomsTakingSignals.TryAdd(room, 0);

    public Task<RoomJoinResult> JoinAsync(string room, ClientConnection connection, string? commandId, long? since) =>
        Join(room, new FeedWork.Join(connection, commandId, since));

    /// <summary>A direct room committed messages for <paramref name="user"/>: its connections here join it on their own.</summary>
    public Task OnDirectAsync(string user, string room, long firstSeq)
    {
        if (_users.TryGetValue(user, out var connections))
        {
            foreach (var connection in connections)
            {
                if (connection.TryAddImplicitRoom(room))
                {
                    Join(room, new FeedWork.Join(connection, null, firstSeq - 1, Implicit: true)).ContinueWith(
                        task => connection.ForgetImplicitRoomIfFailed(task, room),
                        TaskScheduler.Default);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A connection of a user opened here: the user's grain learns this front holds one more.</summary>
    public void AddConnection(ClientConnection connection)
    {
        var connections = _users.AddOrUpdate(connection.User, static (_, added) => [added],
            static (_, current, added) => current.Contains(added) ? current : [.. current, added], connection);
        _renewal.Users[RenewalSlices.Of(connection.User, _renewal.Slices.Users)].TryAdd(connection.User, 0);
        ReportConnections(connection.User, connections.Length);
    }

    public void RemoveConnection(ClientConnection connection)
    {
        while (_users.TryGetValue(connection.User, out var current) && current.Contains(connection))
        {
            var remaining = current.Where(c => c != connection).ToArray();
            var replaced = remaining.Length == 0
                ? _users.TryRemove(new KeyValuePair<string, ClientConnection[]>(connection.User, current))
                : _users.TryUpdate(connection.User, remaining, current);
            if (replaced)
            {
                ReportConnections(connection.User, remaining.Length);
                return;
            }
        }
    }

    private void ReportConnections(string user, int count) =>
        references.Get<IUserConnectionsGrain>(user).SetConnectionsAsync(FrontId, Reference, count).Ignore();

    private Task<RoomJoinResult> Join(string room, FeedWork.Join work)
    {
        lock (_gate)
        {
            if (!_feeds.TryGetValue(room, out var feed))
            {
                feed = new RoomFeed(room, this, references.Get<IRoomGrain>(room), options.Value.GapFetchBatch, logger);
                _feeds[room] = feed;
                _renewal.Feeds[RenewalSlices.Of(room, _renewal.Slices.Rooms)].Add(feed);
            }

            feed.Post(work);
        }

        return work.Completion.Task;
    }

    public Task LeaveAsync(string room, ClientConnection connection)
    {
        var work = new FeedWork.Leave(connection);
        lock (_gate)
        {
            if (!_feeds.TryGetValue(room, out var feed))
            {
                return Task.CompletedTask;
            }

            feed.Post(work);
        }

        return work.Completion.Task;
    }

    /// <summary>
    /// Renews one slice of this front's room leases and user entries (<see cref="RenewalSlices"/>).
    /// A room or user always falls in the same slice, so each is renewed once per period, and a
    /// period's thousands of calls go out spread over it instead of in one burst that queues
    /// every send behind it. A period's first tick first replaces the observer reference if
    /// pushes went missing.
    /// </summary>
    public void RenewSlice(long tick)
    {
        var roomSlice = (int)(tick % _renewal.Slices.Rooms);
        if (roomSlice == 0)
        {
            // A new period: a reference replaced one period ago has been handed to every room by now.
            if (Interlocked.Exchange(ref _replacedReference, null) is { } replaced)
            {
                grains.DeleteObjectReference<IRoomObserver>(replaced);
            }

            if (_missedPush)
            {
                _missedPush = false;
                RecreateReference();
            }
        }

        lock (_gate)
        {
            foreach (var feed in _renewal.Feeds[roomSlice])
            {
                feed.Post(FeedWork.Renew.Scheduled);
            }
        }

        var users = _renewal.Users[(int)(tick % _renewal.Slices.Users)];
        foreach (var (user, _) in users)
        {
            if (_users.TryGetValue(user, out var connections))
            {
                ReportConnections(user, connections.Length);
                continue;
            }

            // Gone: dropped here, then kept after all if a socket of the user came back meanwhile
            // (AddConnection adds to _users before it adds here, so one of the two keeps it).
            users.TryRemove(user, out _);
            if (_users.ContainsKey(user))
            {
                users.TryAdd(user, 0);
            }
        }
    }

    private static (RenewalSlices, HashSet<RoomFeed>[], ConcurrentDictionary<string, byte>[]) SliceUp(RenewalSlices slices)
    {
        var feeds = new HashSet<RoomFeed>[slices.Rooms];
        var users = new ConcurrentDictionary<string, byte>[slices.Users];
        for (var i = 0; i < feeds.Length; i++)
        {
            feeds[i] = [];
        }

        for (var i = 0; i < users.Length; i++)
        {
            users[i] = new(StringComparer.Ordinal);
        }

        return (slices, feeds, users);
    }

    /// <summary>Called by a feed that found the room ahead of what was pushed to it.</summary>
    public void ReportMissedPush() => _missedPush = true;

    /// <summary>Removes a feed that has no members and no queued work; called from the feed's own consumer.</summary>
    public void TryRetire(RoomFeed feed)
    {
        lock (_gate)
        {
            // Joins are posted under this lock, so an empty queue here means none is on its way.
            if (feed.MemberCount == 0 && feed.Pending == 0 && _feeds.TryGetValue(feed.Room, out var current) && current == feed)
            {
                _feeds.Remove(feed.Room);
                _renewal.Feeds[RenewalSlices.Of(feed.Room, _renewal.Slices.Rooms)].Remove(feed);
                _roomsTakingSignals.TryRemove(feed.Room, out _);
                _soleRooms.TryRemove(feed.Room, out _);
                feed.Complete();
            }
        }
    }

    private void Post(string room, FeedWork work)
    {
        lock (_gate)
        {
            if (_feeds.TryGetValue(room, out var feed))
            {
                feed.Post(work);
            }
        }
    }

    /// <summary>
    /// Rooms learn the new reference at their next renewal; until then they push to the old one,
    /// so it stays alive for one more period (deleting it at once lost every push in between).
    /// </summary>
    private void RecreateReference()
    {
        lock (_gate)
        {
            _replacedReference = _reference;
            _reference = grains.CreateObjectReference<IRoomObserver>(this);
            Interlocked.Increment(ref _referenceGeneration);
        }

        LogReferenceRecreated();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A room push went missing; created a new observer reference.")]
    private partial void LogReferenceRecreated();
}
