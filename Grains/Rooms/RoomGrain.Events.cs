using Messaging.Events;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Messaging.Rooms;

/// <summary>
/// Room events on the room's Orleans stream (<see cref="RoomEvents"/>), for analytics, moderation
/// bots and indexing. Fire and forget: a slow or failing stream never delays or fails an ack.
/// </summary>
internal sealed partial class RoomGrain
{
    private IAsyncStream<RoomEvent>? _events;

    private void Publish(RoomEventKind kind, string? user = null, IReadOnlyList<StoredMessage>? messages = null, ModerationRecord? moderation = null)
    {
        if (!_streamOptions.Enabled)
        {
            return;
        }

        _ = PublishAsync(new RoomEvent(Room, kind, _time.GetUtcNow().ToUnixTimeMilliseconds(), user, messages, moderation));
    }

    private async Task PublishAsync(RoomEvent value)
    {
        try
        {
            _events ??= this.GetStreamProvider(RoomEvents.ProviderName).GetStream<RoomEvent>(StreamId.Create(RoomEvents.Namespace, Room));
            await _events.OnNextAsync(value).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogEventNotPublished(ex, Room, value.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: a {Kind} event could not be published to the room-events stream.")]
    private partial void LogEventNotPublished(Exception exception, string room, RoomEventKind kind);
}
