using System.Diagnostics;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// The sample room kinds over real sockets in cluster mode: an authoritative tic-tac-toe game that
/// survives the death of its silo, a word filter that masks or refuses, and shared cursors that
/// send one frame per tick whatever comes in.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RoomKindTests(ServersFixture servers) : ClusterTest(servers, silos: 2, fronts: 2, siloEnvironment: new Dictionary<string, string> { ["WordFilter__Words__0"] = "heck", ["WordFilter__Words__1"] = "darn" })
{
    public override Task InitializeAsync()
    {
        Cluster.SiloDll = Repo.SampleSiloDll;
        return base.InitializeAsync();
    }

    [Fact]
    public async Task Tic_tac_toe_is_played_to_a_win_refuses_cheating_and_survives_a_silo_kill()
    {
        const string room = "ttt:final";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await alice.JoinAsync(room);
        var welcome = await alice.WaitForAsync(f => TestClient.Type(f) == "signal" && f.GetProperty("from").GetString() == "room");
        Assert.Equal(["alice"], welcome.GetProperty("body").GetProperty("players").EnumerateArray().Select(p => p.GetString()));
        await bob.JoinAsync(room);
        await alice.WaitForAsync(f => TestClient.Type(f) == "signal" && f.GetProperty("body").GetProperty("players").GetArrayLength() == 2);

        Assert.Equal("Not your turn.", (await Move(bob, room, 4)).GetProperty("message").GetString());
        Assert.Equal("result", TestClient.Type(await Move(alice, room, 0)));
        var taken = await Move(bob, room, 0);
        Assert.Equal("bad_request", taken.GetProperty("code").GetString());
        Assert.Equal("That square is taken.", taken.GetProperty("message").GetString());
        Assert.Equal("result", TestClient.Type(await Move(bob, room, 3)));
        var beforeKill = await Move(alice, room, 1);
        Assert.Equal("X,X,,O,,,,,", string.Join(',', Board(beforeKill)));
        Assert.Equal("bob", beforeKill.GetProperty("value").GetProperty("turn").GetString());

        // Kill the silo that runs the game: the room comes back elsewhere from its stored state.
        var host = Cluster.Silos.Single(s => s.Output.Contains($"Room {room} runs", StringComparison.Ordinal));
        await host.KillAsync();
        var state = await CallUntilAnsweredAsync(bob, room, "state", "{}");
        Assert.Equal(string.Join(',', Board(beforeKill)), string.Join(',', Board(state)));
        Assert.Equal("bob", state.GetProperty("value").GetProperty("turn").GetString());

        // Each front finds the surviving silo on its own; until then a call may answer `unavailable`.
        Assert.Equal("Not your turn.", (await Served(() => Move(alice, room, 2))).GetProperty("message").GetString());
        Assert.Equal("result", TestClient.Type(await Served(() => Move(bob, room, 4))));
        var win = await Served(() => Move(alice, room, 2));
        Assert.Equal("alice", win.GetProperty("value").GetProperty("winner").GetString());
        Assert.Equal("The game is over.", (await Served(() => Move(bob, room, 8))).GetProperty("message").GetString());

        foreach (var player in new[] { alice, bob })
        {
            var announced = await player.WaitForAsync(f => TestClient.Type(f) == "message" && f.GetProperty("room").GetString() == room, TimeSpan.FromSeconds(40));
            Assert.Equal("alice (X) wins!", announced.GetProperty("body").GetProperty("text").GetString());
        }
    }

    [Fact]
    public async Task The_word_filter_masks_or_refuses_and_a_refused_message_takes_no_seq()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await alice.JoinAsync("filtered:lobby");
        await bob.JoinAsync("filtered:lobby");

        Assert.Equal(1, (await alice.SendAsync("filtered:lobby", new { text = "what the HECK is this" })).GetProperty("seq").GetInt64());
        Assert.Equal(2, (await alice.SendAsync("filtered:lobby", "darn, heckle is fine")).GetProperty("seq").GetInt64());
        var received = await bob.WaitForMessagesAsync("filtered:lobby", 2);
        Assert.Equal("what the **** is this", received[0].GetProperty("body").GetProperty("text").GetString());
        Assert.Equal("****, heckle is fine", received[1].GetProperty("body").GetString());

        // The sender's own front gets the room's copy, not the one it sent (a kind may change a body).
        var own = await alice.WaitForMessagesAsync("filtered:lobby", 2);
        Assert.Equal("what the **** is this", own[0].GetProperty("body").GetProperty("text").GetString());
        Assert.Equal("****, heckle is fine", own[1].GetProperty("body").GetString());
        Assert.Equal("what the **** is this", (await alice.HistoryAsync("filtered:lobby")).GetProperty("messages")[0].GetProperty("body").GetProperty("text").GetString());

        await alice.JoinAsync("strict:lobby");
        var refused = await alice.SendAsync("strict:lobby", new { text = "oh darn" });
        Assert.Equal("bad_request", refused.GetProperty("code").GetString());
        Assert.Equal("The message has a word this room does not allow.", refused.GetProperty("message").GetString());
        Assert.Equal(1, (await alice.SendAsync("strict:lobby", new { text = "oh well" })).GetProperty("seq").GetInt64());
        Assert.Single((await alice.HistoryAsync("strict:lobby")).GetProperty("messages").EnumerateArray());

        // A plain room has no kind: nothing is filtered and it has no methods.
        await alice.JoinAsync("plain");
        Assert.Equal(1, (await alice.SendAsync("plain", "heck")).GetProperty("seq").GetInt64());
        Assert.Equal("bad_request", (await alice.RequestAsync(new { type = "call", room = "plain", method = "move", args = new { square = 1 } })).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_cursors_room_sends_at_most_one_state_frame_per_tick_whatever_comes_in()
    {
        const string room = "cursors:board";
        var members = new List<TestClient>();
        for (var i = 0; i < 3; i++)
        {
            var member = await TestClient.ConnectAsync(Cluster.Fronts[i % 2].SocketUri, $"painter{i}");
            await member.JoinAsync(room);
            members.Add(member);
        }

        await using var watcher = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "watcher");
        await watcher.JoinAsync(room);

        // Within a connection's command rate (50/s, counting the join), so no painter is rate limited.
        const int Updates = 45;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(members.Select((member, m) => Task.Run(async () =>
        {
            for (var n = 1; n <= Updates; n++)
            {
                await member.SendRawAsync("{\"type\":\"signal\",\"room\":\"" + room + "\",\"body\":{\"x\":" + n + ",\"y\":" + m + ",\"t\":" + n + "}}");
            }
        })));

        // Each painter's last position arrives, coalesced into state frames from the room.
        var final = await watcher.WaitForAsync(f => TestClient.Type(f) == "signal" && f.GetProperty("body").TryGetProperty("cursors", out var c)
            && Enumerable.Range(0, 3).All(m => c.TryGetProperty($"painter{m}", out var p) && p.GetProperty("x").GetDouble() == Updates));
        var elapsed = clock.Elapsed;
        var frames = watcher.Frames().Where(f => TestClient.Type(f) == "signal").ToList();
        Assert.All(frames, f => Assert.Equal("room", f.GetProperty("from").GetString()));
        var ticks = (int)Math.Ceiling(elapsed.TotalMilliseconds / 50) + 1;
        Assert.True(frames.Count <= ticks, $"{frames.Count} state frames in {elapsed.TotalMilliseconds:F0} ms ({ticks} ticks) for {3 * Updates} updates");
        Assert.True(frames.Count < 3 * Updates / 4, $"{frames.Count} frames for {3 * Updates} updates is no coalescing");

        foreach (var member in members)
        {
            await member.DisposeAsync();
        }
    }

    private static Task<JsonElement> Move(TestClient player, string room, int square) =>
        player.RequestAsync(new { type = "call", room, method = "move", args = new { square } });

    private static async Task<JsonElement> Served(Func<Task<JsonElement>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var answer = await call();
            if (!(TestClient.Type(answer) == "error" && answer.GetProperty("code").GetString() == "unavailable") || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(250);
        }
    }

    private static string?[] Board(JsonElement result) =>
        [.. result.GetProperty("value").GetProperty("board").EnumerateArray().Select(s => s.ValueKind == JsonValueKind.Null ? null : s.GetString())];

    /// <summary>During failover a call can time out or be refused as unavailable; a client asks again.</summary>
    private static async Task<JsonElement> CallUntilAnsweredAsync(TestClient client, string room, string method, string args)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            try
            {
                var answer = await client.RequestAsync(new { type = "call", room, method, args = JsonDocument.Parse(args).RootElement }, TimeSpan.FromSeconds(40));
                if (TestClient.Type(answer) == "result" || DateTime.UtcNow > deadline)
                {
                    return answer;
                }
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(250);
        }
    }
}
