using System.Collections.Concurrent;
using Messaging.Rooms;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// Sends stored messages to rooms through one <see cref="RoomOutbox"/> per room, so every sender's
/// messages keep the order it sent them in. Outboxes retire when idle; a room costs nothing here
/// between bursts.
/// </summary>
internal sealed class RoomSender(GrainReferences grains, FrontDelivery delivery)
{
    private readonly ConcurrentDictionary<string, RoomOutbox> _outboxes = new(StringComparer.Ordinal);
    private readonly GrainReferences _grains = grains;
    private readonly FrontDelivery _delivery = delivery;

    public Task<SendResult> SendAsync(string room, SendRequest request)
    {
        while (true)
        {
            var outbox = _outboxes.GetOrAdd(room, static (name, sender) => new RoomOutbox(name, sender._grains.Get<IRoomGrain>(name), sender._delivery, sender.Retire), this);
            if (outbox.TrySend(request, out var result))
            {
                return result;
            }

            Retire(outbox);
        }
    }

    private void Retire(RoomOutbox outbox) => _outboxes.TryRemove(new KeyValuePair<string, RoomOutbox>(outbox.Room, outbox));
}
