using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>A cluster front runs its own clients through connect, join and close before it reports ready.</summary>
[Collection(PlatformCollection.Name)]
public sealed class WarmUpTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 0)
{
    [Fact]
    public async Task A_front_reports_ready_only_after_its_warm_up_and_the_warm_up_leaves_no_one_behind()
    {
        var front = await Cluster.StartFrontAsync(new Dictionary<string, string>
        {
            ["WarmUp__Enabled"] = "true",
            ["WarmUp__Connections"] = "30",
            ["WarmUp__Rounds"] = "2",
            ["WarmUp__Rooms"] = "3",
        });

        // Scraped the moment /readyz first answered: every warm-up socket was already opened and joined.
        var atReady = await PrometheusScrape.ReadAsync(front.BaseUri);
        Assert.Equal(60, atReady.Sum("messaging_connections_opened_total"));
        Assert.Equal(60, atReady.Sum("messaging_joins_total"));
        await front.WaitForOutputAsync("Warm-up done: 2 rounds of 30 sockets", TimeSpan.FromSeconds(20));

        // Each closed its socket, so a warm-up room holds only whoever joins it next.
        var settled = await PrometheusScrape.WaitForAsync(front.BaseUri, s => s.Sum("messaging_connections_active") == 0);
        Assert.Equal(0, settled.Sum("messaging_connections_active"));
        await using var client = await TestClient.ConnectAsync(front.SocketUri, "warm-up-visitor");
        var joined = await client.JoinAsync("_warmup-1-0");
        Assert.Equal("joined", TestClient.Type(joined));
        Assert.Equal(1, joined.GetProperty("online").GetInt32());
    }

    [Fact]
    public async Task A_warm_up_that_cannot_finish_in_time_does_not_hold_readiness()
    {
        // Ten rounds of 5,000 sockets cannot finish within one second on a fresh process.
        var front = await Cluster.StartFrontAsync(new Dictionary<string, string>
        {
            ["WarmUp__Enabled"] = "true",
            ["WarmUp__Connections"] = "5000",
            ["WarmUp__Rounds"] = "10",
            ["WarmUp__Timeout"] = "00:00:01",
        });

        await front.WaitForOutputAsync("Warm-up stopped after 1 s", TimeSpan.FromSeconds(20));
        await using var client = await TestClient.ConnectAsync(front.SocketUri, "after-timeout");
        Assert.Equal("joined", TestClient.Type(await client.JoinAsync("after-timeout-room")));
    }
}
