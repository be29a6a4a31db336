using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// A real WebSocket client for tests: keeps every frame it receives, lets a test await the
/// frame it expects (an event, not a sleep), and reports how the server closed the socket.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket;
    private readonly List<JsonElement> _frames = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;

    private TestClient(ClientWebSocket socket, string user)
    {
        _socket = socket;
        User = user;
        _ = ReceiveLoopAsync();
    }

    public string User { get; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public Task Closed => _closed.Task;

    public static async Task<TestClient> ConnectAsync(Uri socketUri, string user, string? token = null, bool tokenInQuery = false)
    {
        token ??= Tokens.For(user);
        var socket = new ClientWebSocket();
        var uri = socketUri;
        if (tokenInQuery)
        {
            uri = new Uri($"{socketUri}?access_token={Uri.EscapeDataString(token)}");
        }
        else
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        await socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(DefaultTimeout);
        var client = new TestClient(socket, user);
        await client.WaitForAsync(f => Type(f) == "welcome");
        return client;
    }

    /// <summary>
    /// A bare socket that joins <paramref name="room"/> and is never read: cheap, and a stand-in for a
    /// stalled client. Asking for a <paramref name="subProtocol"/> sends its upgrade to the pipeline.
    /// </summary>
    public static async Task<ClientWebSocket> RawJoinAsync(Uri socketUri, string user, string room, bool keepAlive = true, string? subProtocol = null)
    {
        var socket = new ClientWebSocket();
        if (!keepAlive)
        {
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
        }

        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        socket.Options.SetRequestHeader("Authorization", $"Bearer {Tokens.For(user)}");
        await socket.ConnectAsync(socketUri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"join","room":"{{room}}"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        return socket;
    }

    public static string? Type(JsonElement frame) => frame.TryGetProperty("type", out var t) ? t.GetString() : null;

    public int NextId() => Interlocked.Increment(ref _nextId);

    public Task SendRawAsync(string json) => SendBytesAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a command with a fresh id and returns the server's direct answer (any frame with that id).</summary>
    public async Task<JsonElement> RequestAsync(object command, TimeSpan? timeout = null)
    {
        var id = NextId();
        var json = JsonSerializer.SerializeToNode(command)!.AsObject();
        json["id"] = id;
        await SendRawAsync(json.ToJsonString());
        return await WaitForAsync(f => f.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number && i.GetInt32() == id, timeout);
    }

    public Task<JsonElement> JoinAsync(string room) => RequestAsync(new { type = "join", room });

    public Task<JsonElement> SendAsync(string room, object body, string? cid = null) =>
        cid is null ? RequestAsync(new { type = "send", room, body }) : RequestAsync(new { type = "send", room, body, cid });

    /// <summary>
    /// What a careful client does through a failover: sends with one cid until the server acks
    /// (answers in the meantime may only be `unavailable`), each try bounded by
    /// <paramref name="perTry"/> (a call to a room on a dead silo can wait out Orleans' response
    /// timeout), the whole within 2 minutes. Returns the acked seq.
    /// </summary>
    public async Task<long> SendUntilAckedAsync(string room, object body, string cid, TimeSpan perTry)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var answer = await SendAsync(room, body, cid).WaitAsync(perTry);
                if (Type(answer) == "ack")
                {
                    return answer.GetProperty("seq").GetInt64();
                }

                if (answer.GetProperty("code").GetString() != "unavailable")
                {
                    throw new InvalidOperationException($"{cid}: unexpected answer {answer.GetRawText()}");
                }
            }
            catch (TimeoutException)
            {
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"{cid} was never acked");
    }

    public Task<JsonElement> HistoryAsync(string room, long? before = null, int? limit = null) =>
        RequestAsync(new Dictionary<string, object?> { ["type"] = "history", ["room"] = room, ["before"] = before, ["limit"] = limit }
            .Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value));

    /// <summary>Waits for a frame matching <paramref name="match"/> (already received or still to come).</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var scanned = 0;
        while (true)
        {
            Task changed;
            lock (_frames)
            {
                for (; scanned < _frames.Count; scanned++)
                {
                    if (match(_frames[scanned]))
                    {
                        return _frames[scanned];
                    }
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _closed.Task.IsCompleted)
            {
                throw new TimeoutException($"{User}: expected frame not received. Got: {string.Join(" | ", Frames().TakeLast(10).Select(f => Shorten(f.GetRawText())))} (close: {CloseStatus})");
            }

            await Task.WhenAny(changed, _closed.Task, Task.Delay(left));
        }
    }

    /// <summary>Waits until this client holds <paramref name="count"/> message frames of <paramref name="room"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForMessagesAsync(string room, int count, TimeSpan? timeout = null)
    {
        await WaitForAsync(_ => Messages(room).Count >= count, timeout);
        return Messages(room);
    }

    public IReadOnlyList<JsonElement> Frames()
    {
        lock (_frames)
        {
            return [.. _frames];
        }
    }

    public IReadOnlyList<JsonElement> Messages(string room) =>
        Frames().Where(f => Type(f) == "message" && f.GetProperty("room").GetString() == room).ToList();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public async Task<WebSocketCloseStatus?> WaitClosedAsync(TimeSpan? timeout = null)
    {
        await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);
        return _socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count).ToArraySegment(), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // Complete the close handshake as a well-behaved client does.
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
                    break;
                }

                using var document = JsonDocument.Parse(buffer.AsMemory(0, count));
                lock (_frames)
                {
                    _frames.Add(document.RootElement.Clone());
                    var changed = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}

internal static class MemoryExtensions
{
    public static ArraySegment<byte> ToArraySegment(this Memory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment : throw new InvalidOperationException();
}
