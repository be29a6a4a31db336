using System.Net;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Server-side publish shares the socket's seq, ack and idempotency; unread counts follow messages, reads and restarts.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiPublishAndUnreadTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2, ApiSettings.Front)
{
    [Fact]
    public async Task A_publish_retried_with_the_same_key_stores_once_and_members_get_it_in_order_with_their_own()
    {
        const string room = "announcements";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        var publisher = ApiClient.WithKey(Cluster.Fronts[1], ApiSettings.PublishKey);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "match-start-1" };
        var sends = new List<Task<JsonElement>>();
        for (var i = 0; i < 5; i++)
        {
            sends.Add(alice.SendAsync(room, $"alice {i}"));
        }

        var first = await publisher.PostAsync($"/api/rooms/{room}/messages", new { body = new { text = "match starts" } }, key);
        for (var i = 5; i < 10; i++)
        {
            sends.Add(alice.SendAsync(room, $"alice {i}"));
        }

        var retry = await publisher.PostAsync($"/api/rooms/{room}/messages", new { body = new { text = "match starts" } }, key);
        await Task.WhenAll(sends);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, retry.Status);
        var seq = first.Json.GetProperty("seq").GetInt64();
        Assert.Equal(seq, retry.Json.GetProperty("seq").GetInt64());
        Assert.False(first.Json.GetProperty("duplicate").GetBoolean());
        Assert.True(retry.Json.GetProperty("duplicate").GetBoolean());

        // 10 from alice and one from the system: seq 1..11, the same order on both fronts.
        foreach (var member in new[] { alice, bob })
        {
            var messages = await member.WaitForMessagesAsync(room, 11);
            Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
            var system = Assert.Single(messages, m => m.GetProperty("from").GetString() == "system");
            Assert.Equal(seq, system.GetProperty("seq").GetInt64());
            Assert.Equal("match-start-1", system.GetProperty("cid").GetString());
            Assert.Equal([.. Enumerable.Range(0, 10).Select(i => $"alice {i}")], messages.Where(m => m.GetProperty("from").GetString() == "alice").Select(m => m.GetProperty("body").GetString()));
        }

        var history = await ApiClient.WithKey(Cluster.Fronts[0], ApiSettings.AdminKey).GetAsync($"/api/rooms/{room}/messages?limit=100");
        Assert.Equal(11, history.Json.GetProperty("messages").GetArrayLength());

        // A named sender for a service; a user publishes only as itself.
        var named = await ApiClient.AsService(Cluster.Fronts[0], "game-server", "messages:publish").PostAsync($"/api/rooms/{room}/messages", new { body = 42, from = "referee" });
        Assert.Equal(12, named.Json.GetProperty("seq").GetInt64());
        Assert.Equal("referee", (await bob.WaitForAsync(f => TestClient.Type(f) == "message" && f.GetProperty("seq").GetInt64() == 12)).GetProperty("from").GetString());
        var asBob = ApiClient.AsUser(Cluster.Fronts[0], "alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await asBob.PostAsync($"/api/rooms/{room}/messages", new { body = "hi", from = "bob" })).Status);
        var own = await asBob.PostAsync($"/api/rooms/{room}/messages", new { body = "from the app" });
        Assert.Equal(13, own.Json.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Unread_counts_follow_messages_reads_and_restarts_and_never_show_a_private_room_to_others()
    {
        var admin = ApiClient.WithKey(Cluster.Fronts[0], ApiSettings.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/rooms", new { name = "unread-private", members = new[] { new { user = "alice" } } })).Status);
        var publisher = ApiClient.WithKey(Cluster.Fronts[0], ApiSettings.PublishKey);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await publisher.PostAsync("/api/rooms/unread-private/messages", new { body = i })).Status);
        }

        await using (var alice = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "alice"))
        await using (var carol = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "carol"))
        {
            await carol.JoinAsync("unread-public");
            await carol.SendAsync("unread-public", "one");
            await carol.SendAsync("unread-public", "two");

            var aliceApi = ApiClient.AsUser(Cluster.Fronts[0], "alice");
            await WaitForUnreadAsync(aliceApi, new() { ["unread-private"] = 3 });

            await alice.SendRawAsync("""{"type":"read","room":"unread-public","seq":1}""");
            await alice.SendRawAsync("""{"type":"read","room":"unread-private","seq":2}""");
            await WaitForUnreadAsync(aliceApi, new() { ["unread-private"] = 1, ["unread-public"] = 1 });

            await publisher.PostAsync("/api/rooms/unread-private/messages", new { body = "more" });
            await WaitForUnreadAsync(aliceApi, new() { ["unread-private"] = 2, ["unread-public"] = 1 });

            // A read marker on a private room tells a non-member nothing about it.
            await carol.SendRawAsync("""{"type":"read","room":"unread-private","seq":1}""");
            await carol.SendRawAsync("""{"type":"read","room":"unread-public","seq":2}""");
            await WaitForUnreadAsync(ApiClient.AsUser(Cluster.Fronts[0], "carol"), new() { ["unread-public"] = 0 });
        }

        await Cluster.StopAllAsync();
        await Cluster.StartSiloAsync();
        await Cluster.StartFrontAsync();
        var afterRestart = await ApiClient.AsUser(Cluster.Fronts[0], "alice").GetAsync("/api/me/unread");
        Assert.Equal(new Dictionary<string, long> { ["unread-private"] = 2, ["unread-public"] = 1 }, Counts(afterRestart));

        var service = await ApiClient.WithKey(Cluster.Fronts[0], ApiSettings.AdminKey).GetAsync("/api/me/unread");
        Assert.Equal(HttpStatusCode.Forbidden, service.Status);
    }

    /// <summary>Reads are one-way; waits (bounded) until the counts the API answers are exactly <paramref name="expected"/>.</summary>
    private static async Task WaitForUnreadAsync(ApiClient api, Dictionary<string, long> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var last = new Dictionary<string, long>();
        while (DateTime.UtcNow < deadline)
        {
            var response = await api.GetAsync("/api/me/unread");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            last = Counts(response);
            if (last.Count == expected.Count && expected.All(e => last.TryGetValue(e.Key, out var n) && n == e.Value))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"unread counts are {JsonSerializer.Serialize(last)}, expected {JsonSerializer.Serialize(expected)}");
    }

    private static Dictionary<string, long> Counts(ApiResponse response) =>
        response.Json.GetProperty("rooms").EnumerateArray().ToDictionary(r => r.GetProperty("room").GetString()!, r => r.GetProperty("unread").GetInt64());
}
