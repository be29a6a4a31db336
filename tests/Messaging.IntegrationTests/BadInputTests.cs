using System.Net.WebSockets;
using System.Text;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Every bad input gets the protocol's answer or close code, and the connection (where it
/// stays open), the room, and everyone else in it carry on unaffected.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BadInputTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1)
{
    private const string Room = "bad-input";
    private TestClient _bystander = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _bystander = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bystander");
        await _bystander.JoinAsync(Room);
    }

    public override async Task DisposeAsync()
    {
        await _bystander.DisposeAsync();
        await base.DisposeAsync();
    }

    [Theory]
    [InlineData("[1,2,3]")]
    [InlineData("\"just a string\"")]
    [InlineData("null")]
    [InlineData("{\"type\":\"send\",\"room\":\"bad-input\"")]
    [InlineData("{\"type\":\"teleport\",\"id\":5}")]
    [InlineData("{\"type\":\"join\",\"room\":\"no spaces allowed\",\"id\":6}")]
    [InlineData("{\"type\":\"join\",\"id\":7}")]
    [InlineData("{\"type\":\"send\",\"room\":\"bad-input\",\"id\":8}")]
    [InlineData("{\"type\":\"history\",\"room\":\"bad-input\",\"limit\":101,\"id\":9}")]
    public async Task Bad_frames_get_bad_request_and_the_connection_stays_open(string frame)
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "mallory");
        await client.SendRawAsync(frame);

        var error = await client.WaitForAsync(f => TestClient.Type(f) == "error");
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (frame.Contains("\"id\":", StringComparison.Ordinal))
        {
            Assert.True(error.TryGetProperty("id", out _), "an answer to a command carries its id");
        }

        Assert.Equal("pong", TestClient.Type(await client.RequestAsync(new { type = "ping" })));
        await AssertRoomUnaffectedAsync();
    }

    [Fact]
    public async Task A_frame_over_64_KiB_closes_1009_and_one_at_the_limit_is_accepted()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "mallory");
        var prefix = "{\"type\":\"send\",\"room\":\"bad-input\",\"id\":1,\"body\":\"";
        var exact = prefix + new string('x', (64 * 1024) - prefix.Length - 2) + "\"}";
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(exact));
        await client.SendRawAsync(exact);
        Assert.Equal("ack", TestClient.Type(await client.WaitForAsync(f => TestClient.Type(f) is "ack" or "error")));

        await client.SendRawAsync(exact.Replace("\"x", "\"xx", StringComparison.Ordinal));
        Assert.Equal((WebSocketCloseStatus)1009, await client.WaitClosedAsync());
        await AssertRoomUnaffectedAsync(expectedMessages: 1);
    }

    [Fact]
    public async Task A_binary_frame_gets_bad_request_then_close_1003()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "mallory");
        await client.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);

        Assert.Equal((WebSocketCloseStatus)1003, await client.WaitClosedAsync());
        Assert.Contains(client.Frames(), f => TestClient.Type(f) == "error" && f.GetProperty("code").GetString() == "bad_request");
        await AssertRoomUnaffectedAsync();
    }

    [Fact]
    public async Task Invalid_utf8_closes_1007()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "mallory");
        await client.SendBytesAsync([(byte)'{', 0xC3, 0x28, (byte)'}'], WebSocketMessageType.Text);

        // The WebSocket layer rejects the frame itself, so the close (with its reason) is the answer.
        Assert.Equal((WebSocketCloseStatus)1007, await client.WaitClosedAsync());
        await AssertRoomUnaffectedAsync();
    }

    [Fact]
    public async Task Joining_a_201st_room_is_forbidden_and_the_200_stay_joined()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "collector");
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("joined", TestClient.Type(await JoinPacedAsync(client, $"many-{i}")));
        }

        var refused = await JoinPacedAsync(client, "many-200");
        Assert.Equal("error", TestClient.Type(refused));
        Assert.Equal("forbidden", refused.GetProperty("code").GetString());

        // Joining one already held is not a new room; after leaving one, a new one fits.
        Assert.Equal("joined", TestClient.Type(await JoinPacedAsync(client, "many-0")));
        Assert.Equal("left", TestClient.Type(await PacedAsync(client, new { type = "leave", room = "many-0" })));
        Assert.Equal("joined", TestClient.Type(await JoinPacedAsync(client, "many-200")));
        await _bystander.SendAsync("many-199", "still delivered");
        await client.WaitForMessagesAsync("many-199", 1);
    }

    [Fact]
    public async Task Commands_past_the_burst_are_rate_limited_and_sustained_abuse_closes_1008()
    {
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "flooder");
        var frames = string.Concat(Enumerable.Range(0, 150).Select(i => $"{{\"type\":\"ping\",\"id\":{i}}}\n")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var frame in frames)
        {
            await client.SendRawAsync(frame);
        }

        var limited = await client.WaitForAsync(f => TestClient.Type(f) == "error" && f.GetProperty("code").GetString() == "rate_limited");
        Assert.True(limited.TryGetProperty("id", out _));
        Assert.True(client.Frames().Count(f => TestClient.Type(f) == "pong") >= 100);

        for (var i = 0; i < 400 && client.CloseStatus is null; i++)
        {
            await client.SendRawAsync("{\"type\":\"ping\"}");
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitClosedAsync());
        await AssertRoomUnaffectedAsync();
    }

    /// <summary>Joins as a polite client does: 200 joins exceed the command burst, so it backs off when rate limited.</summary>
    private static Task<System.Text.Json.JsonElement> JoinPacedAsync(TestClient client, string room) =>
        PacedAsync(client, new { type = "join", room });

    private static async Task<System.Text.Json.JsonElement> PacedAsync(TestClient client, object command)
    {
        while (true)
        {
            var answer = await client.RequestAsync(command);
            if (TestClient.Type(answer) != "error" || answer.GetProperty("code").GetString() != "rate_limited")
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }

    private async Task AssertRoomUnaffectedAsync(int expectedMessages = 0)
    {
        await using var other = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "other");
        var ack = await other.SendAsync(Room, "still fine");
        Assert.Equal("ack", TestClient.Type(ack));
        Assert.Equal(expectedMessages + 1, ack.GetProperty("seq").GetInt64());
        var received = await _bystander.WaitForMessagesAsync(Room, expectedMessages + 1);
        Assert.Equal("still fine", received[^1].GetProperty("body").GetString());
    }
}
