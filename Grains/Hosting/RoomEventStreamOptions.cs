namespace Messaging.Hosting;

/// <summary>The <c>Streams</c> section: where room events go.</summary>
public sealed class RoomEventStreamOptions
{
    public const string SectionName = "Streams";

    /// <summary>Publish room events at all (on by default).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Batches each in-memory room-events queue holds until its pulling agent reads them (every
    /// 100 ms): a bound on the memory a stalled consumer can pin. Past it, events are dropped,
    /// counted (<c>messaging.room_events.dropped</c>) and logged; messages are never held back.
    /// </summary>
    public int QueueCapacity { get; set; } = DefaultQueueCapacity;

    public const int DefaultQueueCapacity = 16_384;

    public const int MaxQueueCapacity = 1_048_576;

    /// <summary>Azure Event Hubs instead of memory streams, when its connection string is set.</summary>
    public EventHubsStreamOptions EventHubs { get; set; } = new();
}
