using System.Net.WebSockets;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Every limit follows configuration, is stated in `welcome.limits`, and is enforced when crossed.</summary>
[Collection(PlatformCollection.Name)]
public sealed class LimitsTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, Configured)
{
    private static readonly Dictionary<string, string> Configured = new()
    {
        ["Limits__FrameBytes"] = "4096",
        ["Limits__CommandsPerSecond"] = "5",
        ["Limits__CommandBurst"] = "10",
        ["Limits__RoomsPerConnection"] = "3",
        ["Limits__QueueBytes"] = "16384",
        ["Limits__IdleTimeout"] = "00:00:03",
    };

    [Fact]
    public async Task Welcome_states_the_configured_limits()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        var limits = client.Frames()[0].GetProperty("limits");

        Assert.Equal(4096, limits.GetProperty("frameBytes").GetInt32());
        Assert.Equal(5, limits.GetProperty("commandsPerSecond").GetInt32());
        Assert.Equal(10, limits.GetProperty("commandBurst").GetInt32());
        Assert.Equal(3, limits.GetProperty("roomsPerConnection").GetInt32());
        Assert.Equal(16384, limits.GetProperty("queueBytes").GetInt32());
        Assert.Equal(3, limits.GetProperty("idleTimeoutSeconds").GetInt32());
    }

    [Fact]
    public async Task The_configured_room_and_frame_limits_are_enforced()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("joined", TestClient.Type(await client.JoinAsync($"limit-{i}")));
        }

        Assert.Equal("forbidden", (await client.JoinAsync("limit-3")).GetProperty("code").GetString());

        var prefix = "{\"type\":\"ping\",\"pad\":\"";
        await client.SendRawAsync(prefix + new string('p', 4096 - prefix.Length - 2) + "\"}");
        await client.WaitForAsync(f => TestClient.Type(f) == "pong");
        await client.SendRawAsync(prefix + new string('p', 4097 - prefix.Length - 2) + "\"}");
        Assert.Equal((WebSocketCloseStatus)1009, await client.WaitClosedAsync());
    }

    [Fact]
    public async Task The_burst_passes_and_the_next_command_is_rate_limited()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        for (var i = 0; i < 11; i++)
        {
            await client.SendRawAsync($"{{\"type\":\"ping\",\"id\":{i}}}");
        }

        var limited = await client.WaitForAsync(f => TestClient.Type(f) == "error");
        Assert.Equal("rate_limited", limited.GetProperty("code").GetString());
        Assert.Equal(10, client.Frames().Count(f => TestClient.Type(f) == "pong"));
        Assert.Equal(10, limited.GetProperty("id").GetInt32());
    }

    // The front's keep-alive sweep serves sockets from both handshakes: a plain upgrade is answered
    // on the connection, one asking for a subprotocol by ASP.NET Core's pipeline.
    [Theory]
    [InlineData(null)]
    [InlineData("chat")]
    public async Task A_silent_peer_is_closed_after_the_idle_timeout_and_a_live_one_is_not(string? subProtocol)
    {
        var room = $"idle-{subProtocol ?? "plain"}";
        await using var watcher = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "watcher");
        await watcher.JoinAsync(room);

        // This socket never reads, so it never answers the server's pings.
        using var silent = await TestClient.RawJoinAsync(Cluster.Fronts[0].SocketUri, "silent", room, keepAlive: false, subProtocol);
        await watcher.WaitForAsync(f => TestClient.Type(f) == "presence" && f.TryGetProperty("join", out var j) && j.EnumerateArray().Any(u => u.GetString() == "silent"));

        // The server gives up on it: it leaves the room, which the watcher sees.
        await watcher.WaitForAsync(
            f => TestClient.Type(f) == "presence" && f.TryGetProperty("leave", out var l) && l.EnumerateArray().Any(u => u.GetString() == "silent"),
            TimeSpan.FromSeconds(20));

        // The watcher reads, so it answered every ping and is still connected well past the timeout.
        Assert.Equal("pong", TestClient.Type(await watcher.RequestAsync(new { type = "ping" })));
        Assert.Null(watcher.CloseStatus);
    }
}
