namespace Messaging.Hosting;

/// <summary>
/// <c>Streams:EventHubs</c>. Event Hubs also speaks the Kafka protocol, so Kafka consumers read room
/// events from the same hub. Its stream provider keeps read positions in Azure Table storage.
/// </summary>
public sealed class EventHubsStreamOptions
{
    /// <summary>The Event Hubs namespace connection string; when set, Event Hubs carries room events.</summary>
    public string? ConnectionString { get; set; }

    public string Hub { get; set; } = "room-events";

    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>Azure Storage connection string for the provider's checkpoints (required with Event Hubs).</summary>
    public string? CheckpointConnectionString { get; set; }
}
