namespace Messaging.WebFront.Delivery;

/// <summary>How a front keeps its room subscriptions alive.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>
    /// How often the front renews each room lease (and re-sends its member list). Must stay well
    /// inside the rooms' lease (Rooms:FrontLease, 30 s by default): it is also how fast a quiet room
    /// that lost its memory in a silo crash gets its subscribers back (a room this front sends to
    /// gets them back at the send). A room whose send answers renewed the lease skips up to three
    /// renewals in a row, so a busy room is renewed in full at least every fourth period.
    /// </summary>
    public TimeSpan RenewPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the front renews its entry in each connected user's connections grain (one call
    /// per user, so it is the front's largest steady cost with many quiet users). Must stay inside
    /// Rooms:FrontLease too; after a silo crash, live direct-message pushes to a user resume
    /// within this period (the messages themselves are stored and recovered with `since`).
    /// </summary>
    public TimeSpan UserRenewPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The front's write window (0, the default: off; at most 50 ms). A room frame for a busy
    /// socket, one that got a room frame less than two windows ago, waits until the window closes,
    /// and frames that reach it meanwhile leave in the same write: a <c>send</c> saved per frame
    /// on busy sockets (game signals, hot rooms) for up to this much latency on their frames.
    /// Quiet sockets and replies to commands are written at once.
    /// </summary>
    public TimeSpan WriteDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The write window for signals only, used while <see cref="WriteDelay"/> is 0 (5 ms by
    /// default; 0 turns it off; at most 50 ms). A signal for a socket that got a signal less than
    /// two windows ago waits until the window closes; stored messages, presence and replies are
    /// written at once, and take any held signals with them, so the socket's order is kept.
    /// Signals are what comes many times a second per socket (game state at 20 Hz from each
    /// player), so this is where holding a few milliseconds saves most writes. Under this
    /// window the ack of a send from a socket that joined the room also waits, at most one
    /// window, for that socket's own copy of the message, and the two leave in one write.
    /// </summary>
    public TimeSpan SignalWriteDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The most messages fetched per call when the front repairs a gap.</summary>
    public int GapFetchBatch { get; set; } = 500;
}
