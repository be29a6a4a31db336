using System.Diagnostics.Metrics;
using Messaging.Events;

namespace Messaging.Telemetry;

/// <summary>
/// Room events the stream did not take. A drop never touches the message path, so without this
/// count a consumer (a moderation bot, an indexer) could miss events and nobody would see why.
/// </summary>
internal sealed class RoomEventMetrics
{
    private readonly Counter<long> _dropped;

    public RoomEventMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MessagingTelemetry.RoomsMeter);
        _dropped = meter.CreateCounter<long>("messaging.room_events.dropped", "{event}", "Room events that could not be published to the room-events stream.");
    }

    public void Dropped(RoomEventKind kind) => _dropped.Add(1, new KeyValuePair<string, object?>("kind", kind switch
    {
        RoomEventKind.Messages => "messages",
        RoomEventKind.Joined => "joined",
        RoomEventKind.Left => "left",
        RoomEventKind.Moderated => "moderated",
        _ => "other",
    }));
}
