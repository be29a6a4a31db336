using Xunit;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>A test class whose every test gets a fresh cluster of the given shape, stopped afterwards.</summary>
public abstract class ClusterTest(ServersFixture servers, int silos, int fronts, IReadOnlyDictionary<string, string>? frontEnvironment = null, IReadOnlyDictionary<string, string>? siloEnvironment = null) : IAsyncLifetime
{
    protected ServersFixture Servers { get; } = servers;

    protected PlatformCluster Cluster { get; } = new(servers);

    public virtual Task InitializeAsync() => Cluster.StartAsync(silos, fronts, frontEnvironment, siloEnvironment);

    public virtual Task DisposeAsync() => Cluster.DisposeAsync().AsTask();
}
