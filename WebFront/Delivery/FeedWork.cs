using Messaging.Rooms;
using Messaging.WebFront.Connections;

namespace Messaging.WebFront.Delivery;

/// <summary>Work for one room's ordered path on this front; processed one at a time, in order.</summary>
internal abstract record FeedWork
{
    /// <summary>A connection joins; <paramref name="Implicit"/>: a direct room joined on the user's behalf, without a `joined` answer.</summary>
    public sealed record Join(ClientConnection Connection, string? CommandId, long? Since, bool Implicit = false) : FeedWork
    {
        public TaskCompletionSource<RoomJoinResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed record Leave(ClientConnection Connection) : FeedWork
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed record Batch(RoomMessageBatch Messages) : FeedWork;

    public sealed record Heartbeat(long LatestSeq) : FeedWork;

    public sealed record Signal(RoomSignal Value) : FeedWork;

    public sealed record Presence(RoomPresenceDiff Diff) : FeedWork;

    /// <summary>
    /// Renew the room lease. <paramref name="Periodic"/>: the renewal timer's, which a recent send
    /// answer may stand in for; any other (the room moved or forgot this front) always goes out.
    /// </summary>
    public sealed record Renew(bool Periodic = false) : FeedWork
    {
        public static readonly Renew Scheduled = new(Periodic: true);
    }

    /// <summary>The room removed a user: its connections here leave and are told <paramref name="Reason"/>.</summary>
    public sealed record Removed(string User, string Reason) : FeedWork;

    /// <summary>A push arrived ahead of its predecessor a while ago: fetch what is still missing.</summary>
    public sealed record GapCheck : FeedWork;
}
