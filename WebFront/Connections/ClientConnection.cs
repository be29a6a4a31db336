using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;
using Messaging.Rooms;
using Messaging.WebFront.Delivery;
using Messaging.WebFront.Protocol;
using Messaging.WebFront.Telemetry;
using Microsoft.Extensions.Logging;

namespace Messaging.WebFront.Connections;

/// <summary>
/// One client socket: the read loop (frames → commands), the single writer, and the bounded
/// outgoing queue between them. Everything a client sends is checked here before any grain
/// is called; nothing it does can block another connection.
/// </summary>
internal sealed partial class ClientConnection
{
    private const int InitialReceiveBuffer = 4096;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(3);

    // A burst is flushed once it holds this much, so one write never grows without bound.
    private const int MaxBurstBytes = 64 * 1024;

    // How long a write may hang on a peer that stopped reading before the socket is aborted;
    // long enough that a client that resumes reading still gets the close frame and its code.
    private static readonly TimeSpan StalledWriteTimeout = TimeSpan.FromSeconds(10);

    private readonly WebSocket _socket;
    private readonly ProtocolLimits _limits;
    private readonly FrontDelivery _delivery;
    private readonly RoomSender _sender;
    private readonly CoalescingStream? _coalescing;
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly FrontMetrics _metrics;
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);

    // Direct rooms this connection was joined to on the user's behalf (from other threads).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _implicitRooms = new(StringComparer.Ordinal);
    private readonly TokenBucket _bucket;
    private readonly CancellationTokenSource _readCancel = new();
    private readonly CancellationTokenSource _writeCancel = new();
    private long _queuedBytes;
    private int _closeCode;
    private string _closeReason = string.Empty;
    private bool _dropQueue;
    private int _strikes;

    public ClientConnection(WebSocket socket, CoalescingStream? coalescing, string user, ProtocolLimits limits, FrontDelivery delivery, RoomSender sender, IGrainFactory grains, FrontMetrics metrics, ILogger logger)
    {
        _metrics = metrics;
        _sender = sender;
        _coalescing = coalescing;
        _socket = socket;
        User = user;
        _limits = limits;
        _delivery = delivery;
        _grains = grains;
        _logger = logger;
        _bucket = new TokenBucket(limits.CommandsPerSecond, limits.CommandBurst, Stopwatch.GetTimestamp(), Stopwatch.Frequency);
        Id = Guid.NewGuid().ToString("N")[..16];
    }

    public string Id { get; }

    public string User { get; }

    /// <summary>Bytes queued for this socket and not yet written.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>The close code the server chose (0 while open).</summary>
    public int CloseCode => Volatile.Read(ref _closeCode);

    /// <summary>Runs the connection until either side closes it; leaves every room on the way out.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _readCancel.Token);
        Enqueue(ServerFrames.Welcome(User, Id, _limits));
        var writer = WriteLoopAsync();
        try
        {
            await ReadLoopAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer went away or the close handshake timed out: nothing to answer.
        }
        finally
        {
            Close(CloseCodes.Normal, string.Empty, drain: false);
            await LeaveAllAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Queues a frame for the writer. Past the queue limit the client is too slow: it is closed
    /// with 1008 and recovers by reconnecting and joining with <c>since</c>.
    /// </summary>
    public void Enqueue(byte[] frame) => Enqueue(frame, committedAt: 0);

    /// <summary>Queues a stored message's frame; <paramref name="committedAt"/> (ms since epoch) times its fan-out.</summary>
    public void Enqueue(byte[] frame, long committedAt)
    {
        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _limits.QueueBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            if (Close(CloseCodes.PolicyViolation, "outgoing queue limit exceeded", drain: false))
            {
                _metrics.QueueOverflowed();
            }

            return;
        }

        if (!_outgoing.Writer.TryWrite(new OutgoingFrame(frame, committedAt)))
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
        }
    }

    /// <summary>
    /// Queues a frame that may be lost (a signal): dropped when the queue is already half full, so a
    /// slow reader loses signals long before it loses its connection.
    /// </summary>
    public void EnqueueDroppable(byte[] frame)
    {
        if (Volatile.Read(ref _queuedBytes) + frame.Length > _limits.QueueBytes / 2)
        {
            _metrics.SignalDropped();
            return;
        }

        Enqueue(frame);
    }

    /// <summary>
    /// Closes with <paramref name="code"/>: the first close wins. With <paramref name="drain"/>
    /// the frames already queued go out first; without, they are dropped. True for the close that won.
    /// </summary>
    public bool Close(int code, string reason, bool drain)
    {
        lock (_outgoing)
        {
            if (_closeCode != 0)
            {
                return false;
            }

            _closeCode = code;
            _closeReason = reason;
            _dropQueue = !drain;
        }

        _outgoing.Writer.TryComplete();

        // A writer stuck on a peer that does not read is cut off after a while. Reading goes on
        // until the writer has sent the close frame: cancelling a receive aborts the socket.
        _writeCancel.CancelAfter(StalledWriteTimeout);
        return true;
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        while (_socket.State == WebSocketState.Open)
        {
            // Wait for the next frame without a buffer, so an idle connection holds none.
            var first = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
            try
            {
                var count = 0;
                var result = first;
                while (!result.EndOfMessage)
                {
                    if (count == buffer.Length)
                    {
                        buffer = Grow(buffer);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    count += result.Count;
                    if (count > _limits.FrameBytes)
                    {
                        Close(CloseCodes.FrameTooLarge, "frame too large", drain: false);
                        return;
                    }
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Enqueue(ServerFrames.Error(null, ErrorCodes.BadRequest, "Binary frames are not accepted; send JSON text."));
                    Close(CloseCodes.BinaryFrame, "binary frame", drain: true);
                    return;
                }

                // Invalid UTF-8 never gets here: the WebSocket layer validates text frames and closes
                // with 1007 itself, before an error frame could be written.
                await HandleFrameAsync(buffer.AsSpan(0, count)).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private byte[] Grow(byte[] buffer)
    {
        // One byte past the limit is enough to tell that a frame is too large.
        var size = Math.Min(buffer.Length * 4, _limits.FrameBytes + 1);
        var larger = ArrayPool<byte>.Shared.Rent(size);
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Everything queued goes out in one transport write: one syscall per burst, not per frame.
                _coalescing?.BeginBatch();
                long oldestCommit = 0;
                while ((_coalescing is null || _coalescing.BatchedBytes < MaxBurstBytes) && reader.TryRead(out var frame))
                {
                    Interlocked.Add(ref _queuedBytes, -frame.Bytes.Length);
                    if (_dropQueue)
                    {
                        continue;
                    }

                    if (oldestCommit == 0)
                    {
                        oldestCommit = frame.CommittedAt;
                    }

                    await _socket.SendAsync(frame.Bytes, WebSocketMessageType.Text, endOfMessage: true, _writeCancel.Token).ConfigureAwait(false);
                }

                if (_coalescing is not null)
                {
                    await _coalescing.FlushBatchAsync(_writeCancel.Token).ConfigureAwait(false);
                }

                if (oldestCommit != 0)
                {
                    _metrics.FanoutLatency(Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - oldestCommit));
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                _writeCancel.CancelAfter(CloseHandshakeTimeout);
                await _socket.CloseOutputAsync((WebSocketCloseStatus)_closeCode, _closeReason, _writeCancel.Token).ConfigureAwait(false);
            }

            // The close frame is out: wait a little for the peer's, then stop reading regardless.
            _readCancel.CancelAfter(CloseHandshakeTimeout);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // A failed write ends the connection instead of throwing into the host.
            _socket.Abort();
            _readCancel.Cancel();
        }
    }

    /// <summary>Marks a direct room as joined on the user's behalf; false when it already was.</summary>
    public bool TryAddImplicitRoom(string room) => _implicitRooms.TryAdd(room, 0);

    /// <summary>A failed implicit join is forgotten, so the next direct message tries again.</summary>
    public void ForgetImplicitRoomIfFailed(Task join, string room)
    {
        if (!join.IsCompletedSuccessfully)
        {
            _implicitRooms.TryRemove(room, out _);
        }
    }

    private async Task LeaveAllAsync()
    {
        List<string> rooms;
        lock (_rooms)
        {
            rooms = [.. _rooms.Union(_implicitRooms.Keys)];
            _rooms.Clear();
        }

        foreach (var room in rooms)
        {
            try
            {
                await _delivery.LeaveAsync(room, this).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogLeaveFailed(ex, room);
            }
        }

        _implicitRooms.Clear();
    }
}
