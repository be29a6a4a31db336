using Orleans.Concurrency;

namespace Messaging.Events;

/// <summary>
/// One queue of the room-events stream provider (keyed "provider/queue number"): every silo's
/// publishers hand it their batches, the silo that owns the queue pulls them.
/// </summary>
[Alias("messaging.IEventQueueGrain")]
internal interface IEventQueueGrain : IGrainWithStringKey
{
    /// <summary>Keeps all of <paramref name="batches"/> in order, or throws and keeps none when they do not all fit.</summary>
    [Alias("EnqueueAsync")]
    Task EnqueueAsync(Immutable<EventBatch[]> batches);

    [Alias("DequeueAsync")]
    Task<Immutable<EventBatch[]>> DequeueAsync(int max);
}
