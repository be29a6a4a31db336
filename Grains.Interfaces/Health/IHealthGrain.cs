namespace Messaging.Health;

/// <summary>Answers whether the cluster can reach its storage; used by readiness probes.</summary>
[Alias("messaging.IHealthGrain")]
public interface IHealthGrain : IGrainWithIntegerKey
{
    [Alias("CheckStorageAsync")]
    Task<bool> CheckStorageAsync();
}
