using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Messaging.Events;

/// <summary>
/// The room-events stream provider's queues when no external queue is configured: queue grains
/// in the cluster's memory, like Orleans' memory streams, but a silo hands each queue its events
/// in batches (<see cref="QueueOutbox"/>, one call per 20 ms). Orleans' memory provider makes a
/// grain call and a serialisation per event, 15 % of a silo's CPU under bench `chat`. Events wait
/// until the queue's owner pulls them (every 100 ms); nothing is kept across a restart of the
/// silo holding a queue, as with memory streams.
/// </summary>
internal sealed class EventQueueAdapter : IQueueAdapterFactory, IQueueAdapter, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly HashRingBasedStreamQueueMapper _mapper;
    private readonly IQueueAdapterCache _cache;
    private readonly IStreamFailureHandler _failures = new NoOpStreamDeliveryFailureHandler();
    private readonly Dictionary<QueueId, QueueOutbox> _outboxes = [];

    public EventQueueAdapter(string name, HashRingStreamQueueMapperOptions queues, SimpleQueueCacheOptions cache, int queueCapacity, IGrainFactory grains, TimeProvider time, ILoggerFactory loggers)
    {
        Name = name;
        _grains = grains;
        _mapper = new HashRingBasedStreamQueueMapper(queues, name);
        _cache = new SimpleQueueAdapterCache(cache, name, loggers);
        foreach (var queue in _mapper.GetAllQueues())
        {
            _outboxes[queue] = new QueueOutbox(QueueGrain(queue), time, queueCapacity);
        }
    }

    public string Name { get; }

    // Consumers start from what arrives after they subscribe, as the cache keeps no history.
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public static EventQueueAdapter Create(IServiceProvider services, string name) => new(
        name,
        services.GetRequiredService<IOptionsMonitor<HashRingStreamQueueMapperOptions>>().Get(name),
        services.GetRequiredService<IOptionsMonitor<SimpleQueueCacheOptions>>().Get(name),
        services.GetRequiredService<IOptions<Hosting.RoomEventStreamOptions>>().Value.QueueCapacity,
        services.GetRequiredService<IGrainFactory>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILoggerFactory>());

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("The room-events queues number events themselves; a sequence token cannot be given.", nameof(token));
        }

        var items = events.Select(static e => (object)e!).ToArray();
        return _outboxes[_mapper.GetQueueForStream(streamId)].Add(new EventBatch(streamId, items, requestContext));
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) => new EventQueueReceiver(QueueGrain(queueId));

    public Task<IQueueAdapter> CreateAdapter() => Task.FromResult<IQueueAdapter>(this);

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => Task.FromResult(_failures);

    public void Dispose()
    {
        foreach (var outbox in _outboxes.Values)
        {
            outbox.Dispose();
        }
    }

    private IEventQueueGrain QueueGrain(QueueId queue) => _grains.GetGrain<IEventQueueGrain>($"{Name}/{queue.GetNumericId()}");
}
