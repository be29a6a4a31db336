using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Messaging.Bench;

/// <summary>
/// One load connection: a receive loop that checks order and records latency, and sends that
/// never overlap. Joined to exactly one room.
/// </summary>
internal sealed class LoadClient : IFrameSink
{
    private const int ReceiveBuffer = 8192;
    private readonly IWireProtocol _protocol;
    private readonly RunMetrics _metrics;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _output = new(512);
    private readonly ArrayBufferWriter<byte> _body = new(256);
    private readonly Dictionary<int, long> _pending = [];
    private readonly Dictionary<int, int> _lastNumber = [];
    private readonly ClientWebSocket _socket = new();
    private TaskCompletionSource<long>? _joined;
    private int _joinId;
    private int _nextId;
    private long _lastSeq = -1;
    private int _credits;
    private int _published;
    private volatile bool _closing;


    public LoadClient(int index, int room, string roomName, IWireProtocol protocol, RunMetrics metrics)
    {
        Index = index;
        Room = room;
        RoomName = roomName;
        _protocol = protocol;
        _metrics = metrics;
    }

    public int Index { get; }

    public int Room { get; }

    public string RoomName { get; }

    /// <summary>In window mode: called from the receive loop with one credit per answered send.</summary>
    public Func<LoadClient, Task>? OnCredit { get; set; }

    public int Outstanding
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    public Task Receiving { get; private set; } = Task.CompletedTask;

    public async Task ConnectAsync(Uri url, string token, CancellationToken cancellationToken)
    {
        _socket.Options.SetBuffer(4096, 4096);
        _socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(20);
        var target = _protocol.Prepare(_socket.Options, url, token);
        var started = Stopwatch.GetTimestamp();
        await _socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        await _protocol.HandshakeAsync(_socket, cancellationToken).ConfigureAwait(false);
        _metrics.Connect.RecordTicks(Stopwatch.GetTimestamp() - started);
        Receiving = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        _joined = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _joinId = Interlocked.Increment(ref _nextId);
        await SendAsync(w => _protocol.WriteJoin(w, _joinId, RoomName), cancellationToken).ConfigureAwait(false);
        _lastSeq = await _joined.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _metrics.Join.RecordTicks(Stopwatch.GetTimestamp() - started);
    }

    /// <summary>Publishes one message (or signal) with a body of about <paramref name="bodyBytes"/> bytes.</summary>
    public async Task PublishAsync(bool signal, int bodyBytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Numbered under the lock, so numbers go out in the order they were given.
            var number = ++_published;
            var id = signal ? 0 : Interlocked.Increment(ref _nextId);
            var now = Stopwatch.GetTimestamp();
            WriteBody(now, number, bodyBytes);
            _output.ResetWrittenCount();
            _protocol.WritePublish(_output, id, RoomName, _body.WrittenSpan, signal);
            if (!signal)
            {
                lock (_pending)
                {
                    _pending[id] = now;
                }
            }

            _metrics.CountSent();
            await _socket.SendAsync(_output.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            if (signal)
            {
                _metrics.CountSignal(Room);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task KeepAliveAsync(CancellationToken cancellationToken)
    {
        if (!_protocol.KeepAlive.IsEmpty)
        {
            await SendAsync(w => w.Write(_protocol.KeepAlive.Span), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        _closing = true;
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Abort();
        _socket.Dispose();
    }

    public void OnAnswer(int id, long seq)
    {
        if (id == _joinId && _joined is { } joined)
        {
            joined.TrySetResult(seq);
            return;
        }

        long sentAt;
        lock (_pending)
        {
            if (!_pending.Remove(id, out sentAt))
            {
                return;
            }
        }

        _metrics.CountAnswered(Room, Stopwatch.GetTimestamp() - sentAt);
        _credits++;
    }

    public void OnError(int id, string code)
    {
        _metrics.CountError(code);
        if (id == _joinId && _joined is { } joined)
        {
            joined.TrySetException(new InvalidOperationException("join refused: " + code));
            return;
        }

        lock (_pending)
        {
            if (_pending.Remove(id))
            {
                _credits++;
            }
        }
    }

    public void OnDelivery(long seq, long sentTicks, int publisher, int number, bool signal)
    {
        _metrics.CountDelivery(Stopwatch.GetTimestamp() - sentTicks);
        if (seq >= 0 && _lastSeq >= 0)
        {
            if (seq > _lastSeq + 1)
            {
                _metrics.CountSeqGap(seq - _lastSeq - 1);
            }
            else if (seq <= _lastSeq)
            {
                _metrics.CountDisorder();
            }
        }

        _lastSeq = Math.Max(_lastSeq, seq);
        if (_lastNumber.TryGetValue(publisher, out var last))
        {
            if (number > last + 1)
            {
                _metrics.CountPublisherGap(number - last - 1);
            }
            else if (number <= last)
            {
                _metrics.CountDisorder();
            }
        }

        _lastNumber[publisher] = Math.Max(last, number);
    }

    private async Task SendAsync(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _output.ResetWrittenCount();
            write(_output);
            await _socket.SendAsync(_output.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void WriteBody(long ticks, int number, int bodyBytes)
    {
        _body.ResetWrittenCount();
        Append("{\"t\":"u8);
        AppendNumber(ticks);
        Append(",\"s\":"u8);
        AppendNumber(Index);
        Append(",\"n\":"u8);
        AppendNumber(number);
        Append(",\"p\":\""u8);
        var padding = Math.Max(0, bodyBytes - _body.WrittenCount - 2);
        _body.GetSpan(padding)[..padding].Fill((byte)'x');
        _body.Advance(padding);
        Append("\"}"u8);
    }

    private void Append(ReadOnlySpan<byte> bytes) => _body.Write(bytes);

    private void AppendNumber(long value)
    {
        var span = _body.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        _body.Advance(written);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBuffer);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.CopyTo(larger, 0);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (!_closing)
                    {
                        _metrics.CountError("closed_" + (int?)_socket.CloseStatus);
                    }

                    return;
                }

                _protocol.Parse(buffer.AsSpan(0, count), this);
                while (_credits > 0)
                {
                    _credits--;
                    if (OnCredit is { } credit)
                    {
                        await credit(this).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The run is ending or the server dropped us; a drop mid-run shows up as losses.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
