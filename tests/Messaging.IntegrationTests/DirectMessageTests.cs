using Messaging.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Direct messages reach every connection of both users without a join; nobody else can see them.</summary>
[Collection(PlatformCollection.Name)]
public sealed class DirectMessageTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2)
{
    private const string Room = "dm:alice:bob";

    [Fact]
    public async Task A_dm_reaches_all_connections_of_both_users_on_both_fronts()
    {
        await using var alice0 = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var alice1 = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "alice");
        await using var bob0 = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bob");
        await using var bob1 = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");

        var ack = await alice0.RequestAsync(new { type = "dm", to = "bob", body = "hi bob", cid = "d1" });
        Assert.Equal("ack", TestClient.Type(ack));
        Assert.Equal(Room, ack.GetProperty("room").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        var reply = await bob1.RequestAsync(new { type = "dm", to = "alice", body = "hi alice" });
        Assert.Equal(2, reply.GetProperty("seq").GetInt64());
        var retry = await alice1.RequestAsync(new { type = "dm", to = "bob", body = "hi bob", cid = "d1" });
        Assert.Equal(1, retry.GetProperty("seq").GetInt64());

        foreach (var client in new[] { alice0, alice1, bob0, bob1 })
        {
            var messages = await client.WaitForMessagesAsync(Room, 2);
            Assert.Equal([1L, 2L], messages.Select(m => m.GetProperty("seq").GetInt64()));
            Assert.Equal(["alice", "bob"], messages.Select(m => m.GetProperty("from").GetString()));
        }

        var history = await bob0.HistoryAsync(Room);
        Assert.Equal(2, history.GetProperty("messages").GetArrayLength());

        // Nothing more arrived: the cid retry stored and delivered nothing new.
        await alice0.RequestAsync(new { type = "ping" });
        Assert.Equal(2, alice0.Messages(Room).Count);
    }

    [Fact]
    public async Task A_third_user_can_neither_join_nor_read_nor_write_the_dm_room()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await alice.RequestAsync(new { type = "dm", to = "bob", body = "secret plans" });
        await using var carol = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "carol");

        foreach (var command in new object[]
        {
            new { type = "join", room = Room },
            new { type = "history", room = Room },
            new { type = "send", room = Room, body = "let me in" },
            new { type = "presence", room = Room },
            new { type = "join", room = Room, since = 0 },
        })
        {
            var answer = await carol.RequestAsync(command);
            Assert.Equal("forbidden", answer.GetProperty("code").GetString());
            Assert.DoesNotContain("secret", answer.GetRawText(), StringComparison.Ordinal);
        }

        Assert.Empty(carol.Messages(Room));
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        Assert.Equal("secret plans", (await bob.HistoryAsync(Room)).GetProperty("messages")[0].GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_dm_to_an_id_that_cannot_name_a_room_is_a_bad_request()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");

        var answer = await alice.RequestAsync(new { type = "dm", to = "bob:evil", body = 1 });

        Assert.Equal("bad_request", answer.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Read_markers_never_move_back_and_survive_a_restart()
    {
        await using (var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice"))
        {
            await alice.SendRawAsync("""{"type":"read","room":"read-room","seq":5}""");
            await alice.SendRawAsync("""{"type":"read","room":"read-room","seq":3}""");
            await alice.RequestAsync(new { type = "ping" });
            await WaitForMarkerAsync("\"read-room\":5");
        }

        await Cluster.StopAllAsync();
        await Cluster.StartSiloAsync();
        await Cluster.StartFrontAsync();
        await using var again = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await again.SendRawAsync("""{"type":"read","room":"read-room","seq":4}""");
        await again.SendRawAsync("""{"type":"read","room":"read-room","seq":7}""");
        await WaitForMarkerAsync("\"read-room\":7");
    }

    /// <summary>Polls the user's grain-state row (written through Orleans' ADO.NET provider) until it holds <paramref name="text"/>.</summary>
    private async Task WaitForMarkerAsync(string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string payload = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            await using var connection = new NpgsqlConnection(Cluster.DatabaseConnectionString + ";Pooling=false");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE grainidextensionstring = 'alice'", connection);
            payload = (await command.ExecuteScalarAsync()) as string ?? string.Empty;
            if (payload.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"read marker {text} not stored; state is {payload}");
    }
}
