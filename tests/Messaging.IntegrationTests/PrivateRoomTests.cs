using System.Net;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// The private-room story across two fronts: a service creates the room, only members get in,
/// an admin's mute, kick and ban reach the live connection on the other front at once, and what
/// is stored (ban, mute) survives a restart.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PrivateRoomTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2, ApiSettings.Front)
{
    private const string Room = "vip-lounge";

    [Fact]
    public async Task Only_members_get_in_and_moderation_takes_effect_at_once_and_survives_a_restart()
    {
        var service = ApiClient.AsService(Cluster.Fronts[0], "backend", "rooms:admin messages:read");
        var created = await service.PostAsync("/api/rooms", new { name = Room, title = "VIP", metadata = new { tier = 3 }, members = new[] { new { user = "alice", role = "admin" } } });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.True(created.Json.GetProperty("private").GetBoolean());
        Assert.Equal(3, created.Json.GetProperty("metadata").GetProperty("tier").GetInt32());

        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        Assert.Equal("joined", TestClient.Type(await alice.JoinAsync(Room)));
        Assert.Equal(1, (await alice.SendAsync(Room, "members only")).GetProperty("seq").GetInt64());

        // To bob the room does not exist: the same answers as for a name never used.
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        foreach (var command in new object[]
        {
            new { type = "join", room = Room },
            new { type = "history", room = Room },
            new { type = "presence", room = Room },
            new { type = "send", room = Room, body = "let me in" },
        })
        {
            var answer = await bob.RequestAsync(command);
            Assert.Equal("not_found", answer.GetProperty("code").GetString());
            Assert.DoesNotContain("members only", answer.GetRawText(), StringComparison.Ordinal);
        }

        var bobApi = ApiClient.AsUser(Cluster.Fronts[1], "bob");
        var hidden = await bobApi.GetAsync($"/api/rooms/{Room}");
        var never = await bobApi.GetAsync("/api/rooms/never-was-a-room");
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal(never.Json.GetProperty("detail").GetString(), hidden.Json.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await bobApi.GetAsync($"/api/rooms/{Room}/messages")).Status);
        Assert.Single((await alice.HistoryAsync(Room)).GetProperty("messages").EnumerateArray());

        // Alice, an admin, lets bob in.
        var aliceApi = ApiClient.AsUser(Cluster.Fronts[0], "alice");
        var added = await aliceApi.PutAsync($"/api/rooms/{Room}/members/bob");
        Assert.Equal(HttpStatusCode.OK, added.Status);
        Assert.Equal("member", added.Json.GetProperty("role").GetString());
        Assert.Equal("joined", TestClient.Type(await bob.JoinAsync(Room)));
        Assert.Equal(1, (await bob.HistoryAsync(Room)).GetProperty("messages").GetArrayLength());

        // Mute: bob's sends are refused at once; he still hears the room.
        Assert.Equal("ok", TestClient.Type(await alice.RequestAsync(new { type = "moderate", room = Room, action = "mute", user = "bob" })));
        var muted = await bob.SendAsync(Room, "can you hear me");
        Assert.Equal("forbidden", muted.GetProperty("code").GetString());
        var afterMute = await alice.SendAsync(Room, "after mute");
        var heard = await bob.WaitForAsync(f => TestClient.Type(f) == "message" && f.GetProperty("seq").GetInt64() == afterMute.GetProperty("seq").GetInt64());
        Assert.Equal("after mute", heard.GetProperty("body").GetString());

        // Kick: bob's connection on the other front leaves the room now, and may come back.
        Assert.Equal("ok", TestClient.Type(await alice.RequestAsync(new { type = "moderate", room = Room, action = "kick", user = "bob", reason = "cool off" })));
        await bob.WaitForAsync(f => TestClient.Type(f) == "left" && f.GetProperty("room").GetString() == Room && f.GetProperty("reason").GetString() == "kicked");
        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "signal", room = Room, body = "still here?" })).GetProperty("code").GetString());
        Assert.Equal("joined", TestClient.Type(await bob.JoinAsync(Room)));

        // Ban, this time over HTTP: removed now, and refused from then on.
        var ban = await aliceApi.PostAsync($"/api/rooms/{Room}/moderation", new { action = "ban", user = "bob", reason = "spam" });
        Assert.Equal(HttpStatusCode.OK, ban.Status);
        await bob.WaitForAsync(f => TestClient.Type(f) == "left" && f.GetProperty("room").GetString() == Room && f.GetProperty("reason").GetString() == "banned");
        Assert.Equal("forbidden", (await bob.JoinAsync(Room)).GetProperty("code").GetString());
        Assert.Equal("forbidden", (await bob.HistoryAsync(Room)).GetProperty("code").GetString());

        var log = await aliceApi.GetAsync($"/api/rooms/{Room}/moderation");
        Assert.Equal(HttpStatusCode.OK, log.Status);
        var actions = log.Json.GetProperty("actions").EnumerateArray().ToList();
        Assert.Equal(["ban", "kick", "mute"], actions.Select(a => a.GetProperty("action").GetString()));
        Assert.All(actions, a => Assert.Equal("alice", a.GetProperty("actor").GetString()));
        Assert.All(actions, a => Assert.Equal("bob", a.GetProperty("user").GetString()));
        Assert.Equal("cool off", actions[1].GetProperty("reason").GetString());

        // Everything stored survives a restart of every process.
        await bob.DisposeAsync();
        await alice.DisposeAsync();
        await Cluster.StopAllAsync();
        await Cluster.StartSiloAsync();
        await Cluster.StartFrontAsync();
        await Cluster.StartFrontAsync();

        await using var bobAgain = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        Assert.Equal("forbidden", (await bobAgain.JoinAsync(Room)).GetProperty("code").GetString());
        var unban = await ApiClient.AsService(Cluster.Fronts[0], "backend", "rooms:admin").PostAsync($"/api/rooms/{Room}/moderation", new { action = "unban", user = "bob" });
        Assert.Equal(HttpStatusCode.OK, unban.Status);
        Assert.Equal("joined", TestClient.Type(await bobAgain.JoinAsync(Room)));
        Assert.Equal("forbidden", (await bobAgain.SendAsync(Room, "still muted?")).GetProperty("code").GetString());

        var members = await ApiClient.AsUser(Cluster.Fronts[1], "bob").GetAsync($"/api/rooms/{Room}/members");
        Assert.Equal(["alice", "bob"], members.Json.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetString()).Order());
        var history = await ApiClient.AsService(Cluster.Fronts[1], "backend", "messages:read").GetAsync($"/api/rooms/{Room}/messages");
        Assert.Equal(["members only", "after mute"], history.Json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()));
    }

    [Fact]
    public async Task Removing_a_member_or_deleting_the_room_takes_live_connections_out()
    {
        var owner = ApiClient.AsUser(Cluster.Fronts[0], "olivia");
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync("/api/rooms", new { name = "short-lived", members = new[] { new { user = "bob" }, new { user = "carol" } } })).Status);

        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await using var carol = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "carol");
        Assert.Equal("joined", TestClient.Type(await bob.JoinAsync("short-lived")));
        Assert.Equal("joined", TestClient.Type(await carol.JoinAsync("short-lived")));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync("/api/rooms/short-lived/members/bob")).Status);
        await bob.WaitForAsync(f => TestClient.Type(f) == "left" && f.GetProperty("reason").GetString() == "removed");
        Assert.Equal("not_found", (await bob.JoinAsync("short-lived")).GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync("/api/rooms/short-lived")).Status);
        await carol.WaitForAsync(f => TestClient.Type(f) == "left" && f.GetProperty("reason").GetString() == "deleted");
        Assert.Equal("not_found", (await carol.JoinAsync("short-lived")).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await owner.GetAsync("/api/rooms/short-lived")).Status);

        // The name is never used again, so its seqs are never reused either.
        Assert.Equal(HttpStatusCode.Conflict, (await owner.PostAsync("/api/rooms", new { name = "short-lived" })).Status);
    }
}
