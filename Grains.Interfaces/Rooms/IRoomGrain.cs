using Messaging.Delivery;
using Orleans.Concurrency;

namespace Messaging.Rooms;

/// <summary>
/// A room: orders messages (gapless seq owned by the database), stores them and
/// pushes each committed batch once to every front that has members in it.
/// </summary>
[Alias("messaging.IRoomGrain")]
public interface IRoomGrain : IGrainWithStringKey
{
    /// <summary>One connection of <paramref name="user"/> on <paramref name="frontId"/> joins, if the room admits the user.</summary>
    [Alias("JoinAsync")]
    Task<RoomJoinResult> JoinAsync(string frontId, IRoomObserver observer, string user);

    /// <summary>One connection of <paramref name="user"/> on <paramref name="frontId"/> leaves.</summary>
    [Alias("LeaveAsync")]
    Task LeaveAsync(string frontId, string user);

    /// <summary>
    /// Renews the front's lease and replaces the room's view of that front's members.
    /// Returns the room's latest seq so the front can spot a missed push, and the members the
    /// room no longer admits.
    /// </summary>
    [Alias("RenewAsync")]
    Task<RoomRenewal> RenewAsync(FrontLease lease);

    /// <summary>
    /// Stores messages in the order given (seqs ascending in that order); completes after their
    /// commits, with one result per request. Orleans does not keep two calls in order, so a front
    /// sends a room's messages in batches, one call in flight, to keep each sender's order.
    /// <paramref name="frontId"/> names the calling front (null for a caller that delivers nothing):
    /// a commit made only of its messages is not pushed back to it but answered
    /// <see cref="SendResult.InAnswer"/>, and the front delivers those messages itself.
    /// </summary>
    [Alias("SendManyFromAsync")]
    Task<SendResult[]> SendManyAsync(string? frontId, [Immutable] SendRequest[] requests);

    /// <summary>Fans an ephemeral signal out to the fronts with members, now; nothing is stored.</summary>
    [OneWay, Alias("SignalAsync")]
    Task SignalAsync(RoomSignal signal);

    /// <summary>A custom command to the room's kind from <paramref name="user"/>; <paramref name="args"/> is JSON.</summary>
    [Alias("CallAsync")]
    Task<RoomCallResult> CallAsync(string user, string method, string args);

    /// <summary>The room's online count and up to 1000 of its online users, if <paramref name="user"/> may see the room.</summary>
    [Alias("GetPresenceAsync")]
    Task<RoomPresence> GetPresenceAsync(string user);

    /// <summary>Stored messages with seq in (<paramref name="afterSeq"/>, <paramref name="untilSeq"/>], ascending, at most <paramref name="max"/>.</summary>
    [Alias("GetRangeAsync")]
    Task<RoomMessageBatch> GetRangeAsync(long afterSeq, long untilSeq, int max);

    /// <summary>Up to <paramref name="limit"/> messages before <paramref name="beforeSeq"/> (exclusive; null: the latest), ascending, if <paramref name="user"/> may read the room.</summary>
    [Alias("GetHistoryAsync")]
    Task<RoomHistory> GetHistoryAsync(string user, long? beforeSeq, int limit);
}
