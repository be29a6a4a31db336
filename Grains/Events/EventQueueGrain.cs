using Messaging.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Messaging.Events;

/// <summary>Holds one room-events queue in memory between the publishers and the pulling agent.</summary>
internal sealed class EventQueueGrain(TimeProvider time, IOptions<RoomEventStreamOptions> options) : Grain, IEventQueueGrain
{
    // Batches held at most (Streams:QueueCapacity): by default, at the pulling agent's pace (every
    // 100 ms), far more than a silo publishes in between.
    private readonly EventQueue _queue = new(options.Value.QueueCapacity, time.GetUtcNow().UtcTicks);

    public Task EnqueueAsync(Immutable<EventBatch[]> batches) =>
        _queue.TryEnqueue(batches.Value)
            ? Task.CompletedTask
            : throw new InvalidOperationException($"The room-events queue {this.GetPrimaryKeyString()} holds {_queue.Count} batches and cannot take {batches.Value.Length} more.");

    public Task<Immutable<EventBatch[]>> DequeueAsync(int max) => Task.FromResult(new Immutable<EventBatch[]>(_queue.Dequeue(max)));
}
