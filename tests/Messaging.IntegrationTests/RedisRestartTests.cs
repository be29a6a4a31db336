using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Redis with an append-only file, as the dev overlay runs it: after a kill -9 and restart the
/// membership table is still there, so running silos and fronts carry on and a new front finds
/// the silos through it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RedisRestartTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly PlatformCluster _cluster = new(servers);
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(persistent: true);
        _cluster.Redis = _redis;
        await _cluster.StartAsync(silos: 2, fronts: 1);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Membership_survives_a_Redis_restart_and_a_new_front_finds_the_silos()
    {
        await using var alice = await TestClient.ConnectAsync(_cluster.Fronts[0].SocketUri, "alice");
        await alice.JoinAsync("membership");
        Assert.Equal(1, (await alice.SendAsync("membership", "before")).GetProperty("seq").GetInt64());

        await _redis.KillAndRestartAsync();

        // Silos talk to each other and to fronts directly: traffic never needed Redis.
        Assert.Equal(2, (await alice.SendAsync("membership", "during")).GetProperty("seq").GetInt64());

        // A front started now learns the gateways from the restored table.
        var late = await _cluster.StartFrontAsync();
        await using var bob = await TestClient.ConnectAsync(late.SocketUri, "bob");
        Assert.Equal(2, (await bob.JoinAsync("membership")).GetProperty("seq").GetInt64());
        Assert.Equal(3, (await bob.SendAsync("membership", "after")).GetProperty("seq").GetInt64());
        var seen = await alice.WaitForMessagesAsync("membership", 3);
        Assert.Equal([1L, 2L, 3L], seen.Select(m => m.GetProperty("seq").GetInt64()));

        // Both silos are still members: neither was evicted by the restart.
        foreach (var silo in _cluster.Silos)
        {
            Assert.False(silo.Exited.IsCompleted, $"{silo.Name} exited:\n{silo.Output}");
        }
    }
}
