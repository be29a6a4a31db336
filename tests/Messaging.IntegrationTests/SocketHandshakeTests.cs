using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// The front answers a plain socket upgrade on the connection itself, before Kestrel's HTTP layer,
/// and hands anything unusual to the pipeline; both must give a working socket, and the metric
/// says which one did. (Refusals, which always go to the pipeline, are in <see cref="AuthTests"/>.)
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SocketHandshakeTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1)
{
    // RFC 6455's own example: this key must be answered with exactly this accept value.
    private const string ExampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string ExampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    [Fact]
    public async Task Plain_upgrades_are_answered_on_the_connection_and_unusual_ones_by_the_pipeline()
    {
        var front = Cluster.Fronts[0];
        var before = await PrometheusScrape.ReadAsync(front.BaseUri);

        // The two ways clients send a token: a header (servers, games) and the query (browsers).
        await using (var header = await TestClient.ConnectAsync(front.SocketUri, "header-user"))
        await using (var query = await TestClient.ConnectAsync(front.SocketUri, "query-user", tokenInQuery: true))
        {
            Assert.Equal("pong", TestClient.Type(await header.RequestAsync(new { type = "ping" })));
            Assert.Equal("pong", TestClient.Type(await query.RequestAsync(new { type = "ping" })));
        }

        // A client frame sent in the same write as the head is read as the socket's first frame.
        var head = Head("raw-user", ExampleKey);
        using (var tcp = await OpenAsync(front))
        {
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(MaskedText("{\"type\":\"ping\",\"id\":7}")).ToArray());
            var response = await ReadHeadAsync(stream);
            Assert.StartsWith("HTTP/1.1 101 ", response, StringComparison.Ordinal);
            Assert.Contains($"Sec-WebSocket-Accept: {ExampleAccept}\r\n", response, StringComparison.Ordinal);
            using var socket = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
            Assert.Equal("welcome", Type(await ReceiveAsync(socket)));
            var pong = await ReceiveAsync(socket);
            Assert.Equal("pong", Type(pong));
            Assert.Equal(7, pong.GetProperty("id").GetInt32());
        }

        // A head that arrives in two writes is put together before it is read.
        using (var tcp = await OpenAsync(front))
        {
            var stream = tcp.GetStream();
            var bytes = Encoding.ASCII.GetBytes(Head("split-user", ExampleKey));
            await stream.WriteAsync(bytes.AsMemory(0, 40));
            await stream.FlushAsync();
            await stream.WriteAsync(bytes.AsMemory(40));
            Assert.StartsWith("HTTP/1.1 101 ", await ReadHeadAsync(stream), StringComparison.Ordinal);
            using var socket = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
            Assert.Equal("welcome", Type(await ReceiveAsync(socket)));
        }

        // A subprotocol request is left to ASP.NET Core, which still upgrades it (choosing none).
        using (var tcp = await OpenAsync(front))
        {
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Head("protocol-user", ExampleKey, "Sec-WebSocket-Protocol: chat\r\n")));
            var response = await ReadHeadAsync(stream);
            Assert.StartsWith("HTTP/1.1 101 ", response, StringComparison.Ordinal);
            Assert.Contains($"Sec-WebSocket-Accept: {ExampleAccept}\r\n", response, StringComparison.OrdinalIgnoreCase);
            using var socket = WebSocket.CreateFromStream(stream, isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
            Assert.Equal("welcome", Type(await ReceiveAsync(socket)));
        }

        var after = await PrometheusScrape.WaitForAsync(front.BaseUri, s =>
            s.Sum("messaging_connections_opened_total") - before.Sum("messaging_connections_opened_total") >= 5);
        double Delta(string path) =>
            after.Sum("messaging_connections_opened_total", $"handshake=\"{path}\"") - before.Sum("messaging_connections_opened_total", $"handshake=\"{path}\"");
        Assert.Equal(4, Delta("direct"));
        Assert.Equal(1, Delta("pipeline"));
    }

    private static string Head(string user, string key, string extra = "") =>
        $"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
        $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {Tokens.For(user)}\r\n{extra}\r\n";

    private static async Task<TcpClient> OpenAsync(PlatformProcess front)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", front.HttpPort!.Value);
        return tcp;
    }

    /// <summary>The response head, read a byte at a time so not one byte of the first frame is taken with it.</summary>
    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TestClient.DefaultTimeout);
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one, timeout.Token));
            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    private static byte[] MaskedText(string json)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        Assert.True(payload.Length < 126);
        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        return [0x81, (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
    }

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TestClient.DefaultTimeout);
        var count = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(count), timeout.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);

        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
    }

    private static string? Type(JsonElement frame) => TestClient.Type(frame);
}
