using Messaging.Storage;
using Orleans.Concurrency;

namespace Messaging.Health;

/// <summary>Stateless: any silo answers, so readiness reflects "some silo can reach storage".</summary>
[StatelessWorker]
internal sealed class HealthGrain(IMessageStore store) : Grain, IHealthGrain
{
    public Task<bool> CheckStorageAsync() => store.PingAsync(CancellationToken.None);
}
