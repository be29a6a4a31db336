namespace Messaging.WebFront.Delivery;

/// <summary>How a front keeps its room subscriptions alive.</summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Delivery";

    /// <summary>
    /// How often the front renews each room lease (and re-sends its member list). Must stay well
    /// inside the rooms' lease (Rooms:FrontLease, 30 s by default): it is also how fast a room that
    /// lost its memory in a silo crash gets its subscribers back.
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
    /// How long a frame for an idle socket waits for company before it is written (0, the default:
    /// at once). Frames that reach the socket meanwhile leave in the same write, which saves a
    /// <c>send</c> per frame on busy sockets (game signals, hot rooms) at the cost of up to this
    /// much latency on every frame. At most 50 ms.
    /// </summary>
    public TimeSpan WriteDelay { get; set; } = TimeSpan.Zero;

    /// <summary>The most messages fetched per call when the front repairs a gap.</summary>
    public int GapFetchBatch { get; set; } = 500;
}
