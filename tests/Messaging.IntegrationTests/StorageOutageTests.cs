using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>With PostgreSQL down, sends answer `unavailable` and store nothing; when it returns, sends work again.</summary>
[Collection(PlatformCollection.Name)]
public sealed class StorageOutageTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1)
{

    [Fact]
    public async Task Send_answers_unavailable_while_storage_is_down_and_works_after_it_returns()
    {
        const string room = "outage";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bob");
        await bob.JoinAsync(room);
        Assert.Equal(1, (await alice.SendAsync(room, "before")).GetProperty("seq").GetInt64());

        await Servers.Postgres.StopAsync();
        try
        {
            var refused = await alice.SendAsync(room, "during", cid: "during-1");
            Assert.Equal("error", TestClient.Type(refused));
            Assert.Equal("unavailable", refused.GetProperty("code").GetString());
            Assert.DoesNotContain("Npgsql", refused.GetRawText(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(refused.GetRawText(), alice.Frames().Where(f => TestClient.Type(f) == "ack").Select(f => f.GetRawText()));

            using var http = new HttpClient();
            using var ready = await http.GetAsync(new Uri(Cluster.Fronts[0].BaseUri, "/readyz"));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        finally
        {
            await Servers.Postgres.StartProcessAsync();
        }

        // No restart of anything: the same grain and front recover on their own.
        await Cluster.Fronts[0].WaitReadyAsync(TimeSpan.FromSeconds(30));
        var retried = await alice.SendAsync(room, "during", cid: "during-1");
        Assert.Equal("ack", TestClient.Type(retried));
        Assert.Equal(2, retried.GetProperty("seq").GetInt64());
        Assert.Equal(3, (await alice.SendAsync(room, "after")).GetProperty("seq").GetInt64());

        var delivered = await bob.WaitForMessagesAsync(room, 3);
        Assert.Equal(["before", "during", "after"], delivered.Select(m => m.GetProperty("body").GetString()));
        Assert.Equal([1L, 2L, 3L], delivered.Select(m => m.GetProperty("seq").GetInt64()));
    }
}
