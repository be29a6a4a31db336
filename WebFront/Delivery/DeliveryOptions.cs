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

    /// <summary>The most messages fetched per call when the front repairs a gap.</summary>
    public int GapFetchBatch { get; set; } = 500;
}
