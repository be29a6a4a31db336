using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Messaging.Client;

/// <summary>
/// A connection to the platform that survives the network: it reconnects with jittered backoff
/// (to the next endpoint), rejoins every room with <c>since</c>, resends unacknowledged sends with
/// their <c>cid</c> (the server stores each once), drops duplicates, and fills a gap from history,
/// so a reader of <see cref="Events"/> sees each room's messages once and in seq order.
/// </summary>
public sealed partial class MessagingClient : IAsyncDisposable
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly MessagingClientOptions _options;
    private readonly Channel<ClientEvent> _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<int, PendingRequest> _pending = new();
    private readonly ConcurrentDictionary<string, RoomCursor> _rooms = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    // Sends not acknowledged yet, in the order they were made; resent in that order after a reconnect.
    private readonly List<UnackedSend> _unacked = new();
    private readonly Random _random = new();
    private ClientWebSocket? _socket;
    private TaskCompletionSource<bool> _connected = NewSignal();
    private Task _run = Task.CompletedTask;
    private int _nextId;
    private int _endpoint;

    private MessagingClient(MessagingClientOptions options)
    {
        _options = options;
        _events = Channel.CreateBounded<ClientEvent>(new BoundedChannelOptions(options.EventBuffer)
        {
            SingleReader = false,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The user id the server welcomed this client as.</summary>
    public string? User { get; private set; }

    /// <summary>The server's id of the current connection.</summary>
    public string? ConnectionId { get; private set; }

    public ConnectionState State { get; private set; } = ConnectionState.Connecting;

    /// <summary>Incoming messages, signals, presence and connection changes, in the order they happened.</summary>
    public ChannelReader<ClientEvent> Events => _events.Reader;

    /// <summary>Connects (retrying until <paramref name="cancellationToken"/> ends) and keeps the connection up until disposed.</summary>
    public static async Task<MessagingClient> ConnectAsync(MessagingClientOptions options, CancellationToken cancellationToken = default)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        if (options.Endpoints.Count == 0 || options.TokenProvider is null)
        {
            throw new ArgumentException("Give at least one endpoint and a token provider.", nameof(options));
        }

        var client = new MessagingClient(options);
        client._run = Task.Run(client.RunAsync, CancellationToken.None);
        try
        {
            await client.WaitConnectedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return client;
    }

    /// <summary>Reads events as an async stream until the client is disposed or <paramref name="cancellationToken"/> ends.</summary>
    public IAsyncEnumerable<ClientEvent> ReadEventsAsync(CancellationToken cancellationToken = default) => _events.Reader.ReadAllAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        var socket = _socket;
        if (socket is { State: WebSocketState.Open })
        {
            using var timeout = new CancellationTokenSource(CloseTimeout);
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                socket.Abort();
            }
        }

        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        FailPending(new ObjectDisposedException(nameof(MessagingClient)));
        lock (_gate)
        {
            foreach (var send in _unacked)
            {
                send.Completion.TrySetException(new ObjectDisposedException(nameof(MessagingClient)));
            }

            _unacked.Clear();
        }

        _events.Writer.TryComplete();
        _stop.Dispose();
        _writeLock.Dispose();
    }

    /// <summary>Connects, serves the connection until it ends, waits, and connects again, until disposed.</summary>
    private async Task RunAsync()
    {
        var attempt = 0;
        while (!_stop.IsCancellationRequested)
        {
            var endpoint = _options.Endpoints[_endpoint % _options.Endpoints.Count];
            string? reason;
            var immediate = false;
            try
            {
                var token = await _options.TokenProvider!(_stop.Token).ConfigureAwait(false);
                using var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
                socket.Options.KeepAliveInterval = TimeSpan.Zero;
                await socket.ConnectAsync(endpoint, _stop.Token).ConfigureAwait(false);
                _socket = socket;
                attempt = 0;
                (reason, immediate) = await ServeAsync(socket, endpoint, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WebSocketException or System.Net.Http.HttpRequestException or System.IO.IOException or JsonException or OperationCanceledException)
            {
                reason = ex.Message;
            }

            OnDisconnected(endpoint, reason);
            if (_stop.IsCancellationRequested)
            {
                break;
            }

            if (!immediate)
            {
                // The next attempt goes to the next endpoint: a front that went away is skipped.
                _endpoint++;
                await DelayAsync(attempt++).ConfigureAwait(false);
            }
        }

        State = ConnectionState.Closed;
        await PublishAsync(new ConnectionChanged(ConnectionState.Closed, null, "disposed")).ConfigureAwait(false);
    }

    private async Task DelayAsync(int attempt)
    {
        var ceiling = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds, _options.ReconnectMinDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)));
        double jitter;
        lock (_random)
        {
            jitter = 0.5 + (_random.NextDouble() / 2);
        }

        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ceiling * jitter), _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Serves one connection: welcome, rejoin, resend, then frames until it closes. Returns why it ended and whether to reconnect at once.</summary>
    private async Task<(string? Reason, bool Immediate)> ServeAsync(ClientWebSocket socket, Uri endpoint, string token)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var receive = ReceiveLoopAsync(socket, connection.Token);
        var refresh = TokenRefreshDelay(token);
        var renewing = refresh is { } delay ? RenewTokenAfterAsync(socket, delay, connection.Token) : Task.CompletedTask;
        var pinging = PingLoopAsync(connection.Token);
        try
        {
            await Task.WhenAny(receive, WelcomedAsync(connection.Token)).ConfigureAwait(false);
            if (receive.IsCompleted)
            {
                return (await receive.ConfigureAwait(false), false);
            }

            State = ConnectionState.Connected;
            await PublishAsync(new ConnectionChanged(ConnectionState.Connected, endpoint, null)).ConfigureAwait(false);
            _ = ResumeAsync(connection.Token);
            var reason = await receive.ConfigureAwait(false);
            var status = socket.CloseStatus;

            // A token that expired, or a front that is draining: connect again now, not after a backoff.
            var immediate = status is (WebSocketCloseStatus)4001 or WebSocketCloseStatus.EndpointUnavailable || renewing.IsCompleted && refresh is not null;
            return (reason, immediate);
        }
        finally
        {
            connection.Cancel();
            await Task.WhenAll(Quiet(renewing), Quiet(pinging)).ConfigureAwait(false);
        }
    }

    private static async Task Quiet(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>After a (re)connection: every room is joined again from its last seq, then unacknowledged sends go out again in order.</summary>
    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var cursor in _rooms.Values.ToList())
            {
                _ = RejoinAsync(cursor, cancellationToken);
            }

            List<UnackedSend> resend;
            lock (_gate)
            {
                resend = _unacked.ToList();
            }

            foreach (var send in resend)
            {
                await WriteSendAsync(send, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection went down again; the next one resumes.
        }
    }

    private async Task RejoinAsync(RoomCursor cursor, CancellationToken cancellationToken)
    {
        try
        {
            var since = cursor.LastSeq;
            var answer = await RequestAsync(w =>
            {
                w.WriteString("type", "join");
                w.WriteString("room", cursor.Room);
                w.WriteNumber("since", since);
            }, cancellationToken).ConfigureAwait(false);
            if (answer.TryGetProperty("recovered", out var recovered) && recovered.ValueKind == JsonValueKind.False)
            {
                await FillGapAsync(cursor, since, answer.GetProperty("seq").GetInt64(), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (MessagingException ex) when (ex.Code is "not_found" or "forbidden")
        {
            // The room no longer admits this user.
            _rooms.TryRemove(cursor.Room, out _);
            await PublishAsync(new RemovedFromRoom(cursor.Room, ex.Code)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MessagingException or TimeoutException or OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Lost with the connection: the next one rejoins.
        }
    }

    /// <summary>
    /// The server delivers at most 1000 missed messages on a rejoin; past that the client pages
    /// the rest from history, holding live messages of that room until the gap is filled.
    /// </summary>
    private async Task FillGapAsync(RoomCursor cursor, long after, long until, CancellationToken cancellationToken)
    {
        lock (cursor)
        {
            cursor.Filling = true;
        }

        var missed = new List<MessageReceived>();
        try
        {
            var before = until + 1;
            while (before > after + 1)
            {
                var page = await HistoryAsync(cursor.Room, before, 100, cancellationToken).ConfigureAwait(false);
                if (page.Messages.Count == 0)
                {
                    break;
                }

                missed.AddRange(page.Messages.Where(m => m.Seq > after));
                before = page.Messages[0].Seq;
            }
        }
        finally
        {
            List<MessageReceived> held;
            lock (cursor)
            {
                cursor.Filling = false;
                held = cursor.Held.ToList();
                cursor.Held.Clear();
            }

            foreach (var message in missed.OrderBy(m => m.Seq).Concat(held))
            {
                await DeliverAsync(cursor, message).ConfigureAwait(false);
            }
        }
    }

    private TimeSpan? TokenRefreshDelay(string token)
    {
        if (JwtExpiry.TryRead(token) is not { } expires)
        {
            return null;
        }

        var delay = expires - DateTimeOffset.UtcNow - _options.TokenRefreshMargin;
        return delay > TimeSpan.Zero ? delay : TimeSpan.FromSeconds(1);
    }

    /// <summary>Closes the connection normally shortly before the token expires; the loop reconnects at once with a fresh one.</summary>
    private static async Task RenewTokenAfterAsync(ClientWebSocket socket, TimeSpan delay, CancellationToken cancellationToken)
    {
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "token refresh", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.PingInterval, cancellationToken).ConfigureAwait(false);
            try
            {
                await RequestAsync(w => w.WriteString("type", "ping"), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MessagingException or TimeoutException or WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // A ping that fails says the connection is going; the receive loop notices.
            }
        }
    }

    private void OnDisconnected(Uri endpoint, string? reason)
    {
        _socket = null;
        lock (_gate)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }
        }

        FailPending(new MessagingException("unavailable", "The connection was lost."));
        if (!_stop.IsCancellationRequested)
        {
            State = ConnectionState.Reconnecting;
            _events.Writer.TryWrite(new ConnectionChanged(ConnectionState.Reconnecting, endpoint, reason));
        }
    }

    private void FailPending(Exception exception)
    {
        foreach (var id in _pending.Keys.ToList())
        {
            if (_pending.TryRemove(id, out var request))
            {
                // A send stays unacknowledged and goes out again; other commands fail.
                request.Answer?.TrySetException(exception);
            }
        }
    }

    private async Task WaitConnectedAsync(CancellationToken cancellationToken)
    {
        Task connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken));
        using var stopped = _stop.Token.Register(() => cancelled.TrySetException(new ObjectDisposedException(nameof(MessagingClient))));
        await (await Task.WhenAny(connected, cancelled.Task).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private Task PublishAsync(ClientEvent value) => _events.Writer.WriteAsync(value).AsTask();

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Text(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static byte[] Frame(Action<Utf8JsonWriter> write, int? id)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            if (id is { } value)
            {
                writer.WriteNumber("id", value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes.ToArray());
}
