using Orleans.Concurrency;
using Messaging.Rooms;

namespace Messaging.Delivery;

/// <summary>
/// A front's inbox for room pushes. Best effort (one-way): a front detects a missed
/// batch from the seq gap or from a heartbeat, and fetches the range.
/// </summary>
[Alias("messaging.IRoomObserver")]
public interface IRoomObserver : IGrainObserver
{
    [OneWay, Alias("OnMessagesAsync")]
    Task OnMessagesAsync(RoomMessageBatch batch);

    [OneWay, Alias("OnSignalAsync")]
    Task OnSignalAsync(RoomSignal signal);

    [OneWay, Alias("OnPresenceAsync")]
    Task OnPresenceAsync(RoomPresenceDiff diff);

    /// <summary>A direct room of <paramref name="user"/> committed messages from <paramref name="firstSeq"/> on; deliver them to the user's connections here.</summary>
    [OneWay, Alias("OnDirectAsync")]
    Task OnDirectAsync(string user, string room, long firstSeq);

    /// <summary>
    /// <paramref name="user"/> was removed from the room (kicked, banned, no longer a member, or the
    /// room was deleted): its connections here leave the room and are told <paramref name="reason"/>.
    /// </summary>
    [OneWay, Alias("OnRemovedAsync")]
    Task OnRemovedAsync(string room, string user, string reason);

    /// <summary>
    /// The room's silo is shutting down: renew the lease now, which activates the room on another
    /// silo with this front's members, instead of at the next renewal period.
    /// </summary>
    [OneWay, Alias("OnRoomMovingAsync")]
    Task OnRoomMovingAsync(string room);

    /// <summary>
    /// Another front now has members in <paramref name="room"/>: this front, told it was the only
    /// one, must pass its members' signals to the room again. Two-way: the room answers the other
    /// front's join only after this front has confirmed, so no joiner misses a signal.
    /// </summary>
    [Alias("OnSoleFrontEndedAsync")]
    Task OnSoleFrontEndedAsync(string room);

    /// <summary>The room's latest committed seq, sent periodically after activity.</summary>
    [OneWay, Alias("OnHeartbeatAsync")]
    Task OnHeartbeatAsync(string room, long latestSeq);
}
