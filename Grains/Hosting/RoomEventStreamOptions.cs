namespace Messaging.Hosting;

/// <summary>The <c>Streams</c> section: where room events go.</summary>
public sealed class RoomEventStreamOptions
{
    public const string SectionName = "Streams";

    /// <summary>Publish room events at all (on by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Azure Event Hubs instead of memory streams, when its connection string is set.</summary>
    public EventHubsStreamOptions EventHubs { get; set; } = new();
}
