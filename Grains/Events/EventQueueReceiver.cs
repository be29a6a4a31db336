using Orleans.Streams;

namespace Messaging.Events;

/// <summary>Pulls one room-events queue for the silo's pulling agent.</summary>
internal sealed class EventQueueReceiver(IEventQueueGrain queue) : IQueueAdapterReceiver
{
    /// <summary>Batches per pull when the cache sets no limit.</summary>
    private const int MaxPull = 1_000;

    private Task? _pulling;

    public Task Initialize(TimeSpan timeout) => Task.CompletedTask;

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        var pull = queue.DequeueAsync(maxCount > 0 ? Math.Min(maxCount, MaxPull) : MaxPull);
        _pulling = pull;
        var batches = await pull.ConfigureAwait(false);
        return batches.Value;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    // Waits (bounded) for a pull in flight; how it ended no longer matters to anyone.
    public async Task Shutdown(TimeSpan timeout)
    {
        if (_pulling is { } pulling)
        {
            await pulling.WaitAsync(timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
