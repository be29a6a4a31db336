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

        var value = new RoomEvent(Room, kind, _time.GetUtcNow().ToUnixTimeMilliseconds(), user, messages, moderation);
        Task published;
        try
        {
            _events ??= this.GetStreamProvider(RoomEvents.ProviderName).GetStream<RoomEvent>(StreamId.Create(RoomEvents.Namespace, Room));
            published = _events.OnNextAsync(value);
        }
        catch (Exception ex)
        {
            EventDropped(ex, value);
            return;
        }

        // Nothing of the room's runs after the event is kept, so nothing waits for it here: an
        // await would cost the room one more turn on its scheduler per message, for a log line
        // that only a failure writes.
        if (!published.IsCompletedSuccessfully)
        {
            published.ContinueWith(
                static (task, state) =>
                {
                    var (room, value) = ((RoomGrain, RoomEvent))state!;
                    room.EventDropped(task.Exception!.GetBaseException(), value);
                },
                (this, value),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    // Runs off the room's scheduler for a failure the task reports later: it reads nothing of the room's state.
    private void EventDropped(Exception exception, RoomEvent value)
    {
        _eventMetrics.Dropped(value.Kind);
        LogEventNotPublished(exception, value.Room, value.Kind);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: a {Kind} event could not be published to the room-events stream.")]
    private partial void LogEventNotPublished(Exception exception, string room, RoomEventKind kind);
}
