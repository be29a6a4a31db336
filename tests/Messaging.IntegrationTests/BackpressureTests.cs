using System.Text.Json;
using System.Net.WebSockets;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>A client that stops reading is closed with 1008 once its queue passes the limit; the room does not wait for it.</summary>
[Collection(PlatformCollection.Name)]
public sealed class BackpressureTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2, FrontSettings.HighCommandRate)
{
    [Fact]
    public async Task A_stalled_reader_is_closed_1008_while_a_fast_member_gets_everything()
    {
        const string room = "backpressure";
        const int count = 400;

        await using var fast = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "fast");
        await fast.JoinAsync(room);

        // A raw socket that joins and then never reads: the kernel buffers fill, then the front's queue.
        using var stalled = await TestClient.RawJoinAsync(Cluster.Fronts[0].SocketUri, "stalled", room);
        await fast.WaitForAsync(f => TestClient.Type(f) == "presence" && f.GetProperty("join").EnumerateArray().Any(u => u.GetString() == "stalled"));

        await using var sender = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "sender");
        var before = await PrometheusScrape.ReadAsync(Cluster.Fronts[0].BaseUri);
        var body = new string('x', 60_000);

        // The sender paces itself on the fast member's delivery count: ten in flight, then wait until
        // the fast member has them. The fast member never falls behind; the stalled one only grows.
        for (var batch = 1; batch <= count / 10; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => sender.SendAsync(room, body)));
            await fast.WaitForMessagesAsync(room, batch * 10);
        }

        var received = await fast.WaitForMessagesAsync(room, count, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), received.Select(m => m.GetProperty("seq").GetInt64()));

        // Now drain the stalled socket: what was buffered, then the close with 1008.
        var messages = 0;
        var buffer = new byte[128 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await stalled.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            if (result.EndOfMessage)
            {
                messages++;
            }
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stalled.CloseStatus);
        Assert.True(messages < count, $"the stalled client got {messages} frames");

        // One overflow, and one socket closed with 1008, on the stalled reader's front.
        const string closed1008 = "code=\"1008\"";
        var after = await PrometheusScrape.WaitForAsync(Cluster.Fronts[0].BaseUri, s => s.Sum("messaging_connections_closed_total", closed1008) > before.Sum("messaging_connections_closed_total", closed1008));
        Assert.Equal(1, after.Sum("messaging_queue_overflows_total") - before.Sum("messaging_queue_overflows_total"));
        Assert.Equal(1, after.Sum("messaging_connections_closed_total", closed1008) - before.Sum("messaging_connections_closed_total", closed1008));
    }

    [Fact]
    public async Task A_slow_reader_loses_signals_first_and_keeps_its_connection_and_messages()
    {
        const string room = "backpressure-signals";
        const int signals = 400;

        // The watcher joins first: presence reaches members only, so a reader that joined before it
        // may be announced before the watcher is there to hear it.
        await using var watcher = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "watcher");
        await watcher.JoinAsync(room);

        // Joins and never reads until the end: the kernel buffers fill, then the front's queue.
        using var stalled = await TestClient.RawJoinAsync(Cluster.Fronts[0].SocketUri, "slow-reader", room);
        await watcher.WaitForAsync(f => TestClient.Type(f) == "presence" && f.GetProperty("join").EnumerateArray().Any(u => u.GetString() == "slow-reader"));

        // 400 signals of 60 KB (24 MB) from the other front: far past the 1 MiB queue, which would
        // close the reader with 1008 if they were messages. Each waits for the watcher to hear it,
        // so the watcher, a reader keeping up, never has more than one queued.
        await using var sender = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "signaller");
        await sender.JoinAsync(room);
        var before = await PrometheusScrape.ReadAsync(Cluster.Fronts[0].BaseUri);
        var body = new string('s', 60_000);
        for (var i = 0; i < signals; i++)
        {
            await sender.SendRawAsync(JsonSerializer.Serialize(new { type = "signal", room, body = new { i, body } }));
            await watcher.WaitForAsync(f => TestClient.Type(f) == "signal" && f.GetProperty("body").GetProperty("i").GetInt32() == i, TimeSpan.FromSeconds(30));
        }

        Assert.Equal("ack", TestClient.Type(await sender.SendAsync(room, "after the signals")));

        // Now read: some signals, then the stored message, and the socket is still open.
        var received = 0;
        var buffer = new byte[128 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await stalled.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
                count += result.Count;
            }
            while (!result.EndOfMessage);

            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            var type = TestClient.Type(JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement);
            if (type == "signal")
            {
                received++;
            }
            else if (type == "message")
            {
                break;
            }
        }

        Assert.Equal(WebSocketState.Open, stalled.State);
        Assert.True(received < signals, $"the slow reader got all {received} signals; none was dropped");

        // Every signal the reader did not get was counted as a drop on its front, and only those.
        var after = await PrometheusScrape.ReadAsync(Cluster.Fronts[0].BaseUri);
        var drops = "messaging_queue_drops_total";
        Assert.Equal(signals - received, after.Sum(drops, "reason=\"signal\"") - before.Sum(drops, "reason=\"signal\""));
    }
}
