using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
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
    private readonly SharedWriteStream _output;
    private readonly GrainReferences _grains;
    private readonly ILogger _logger;
    private readonly FrontMetrics _metrics;
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);

    // Direct rooms this connection was joined to on the user's behalf (from other threads), under
    // the _rooms lock; made on the first direct message, so the many sockets that get none carry no set.
    private HashSet<string>? _implicitRooms;
    private readonly TokenBucket _bucket;
    private readonly CancellationTokenSource _readCancel = new();
    private readonly CancellationTokenSource _writeCancel = new();

    // The outgoing queue and the writer's state, under _gate. Whoever queues a frame while no
    // write is running writes it at once on its own thread (for a room message that is the
    // room's delivery loop), so an idle socket costs no task and no thread hop per frame; only a
    // busy socket under a write window (Coalescer), or an ack waiting for its copy, leaves its
    // first frame to the window's timer.
    private readonly Lock _gate = new();
    private readonly Queue<OutgoingFrame> _pending = new();
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _writing;

    // The writer is claimed (_writing) but waits for the Coalescer's window; under _gate.
    private bool _scheduled;

    // When the last room frame was queued (Environment.TickCount64), under _gate: whether the socket is busy.
    private long _lastRoomFrameAt = long.MinValue / 2;
    private bool _completed;
    private long _queuedBytes;
    private int _closeCode;
    private string _closeReason = string.Empty;
    private int _strikes;

    public ClientConnection(WebSocket socket, SharedWriteStream output, string user, ProtocolLimits limits, FrontDelivery delivery, RoomSender sender, GrainReferences grains, FrontMetrics metrics, ILogger logger)
    {
        _metrics = metrics;
        _sender = sender;
        _output = output;
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

    /// <summary>When the token the socket was opened with expires (<see cref="DateTimeOffset.MaxValue"/> for never).</summary>
    public DateTimeOffset ExpiresAt { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>Where a writer start waits for the front's write window; null to write at once.</summary>
    public WriteCoalescer? Coalescer { get; init; }

    /// <summary>Bytes queued for this socket and not yet written.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>The close code the server chose (0 while open).</summary>
    public int CloseCode => Volatile.Read(ref _closeCode);

    /// <summary>Runs the connection until either side closes it; leaves every room on the way out.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The transport closing stops the reads like a local close does (one registration, no linked source).
        using var aborted = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _readCancel);
        Enqueue(ServerFrames.Welcome(User, Id, _limits));
        try
        {
            await ReadLoopAsync(_readCancel.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer went away or the close handshake timed out: nothing to answer.
        }
        finally
        {
            Close(CloseCodes.Normal, string.Empty, drain: false);
            await LeaveAllAsync().ConfigureAwait(false);
            await _writerDone.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Frames and queues a frame meant for this socket alone: a reply to one of its commands,
    /// which the client may be waiting on, so it is written at once, never held for company.
    /// </summary>
    public void Enqueue(byte[] json) => EnqueueOne(new OutgoingFrame(WireFrame.Text(json), 0), FrameKind.Reply);

    /// <summary>
    /// Queues a frame for the socket; <paramref name="committedAt"/> (ms since epoch, 0 for none)
    /// times a stored message's fan-out. Past the queue limit the client is too slow: it is closed
    /// with 1008 and recovers by reconnecting and joining with <c>since</c>.
    /// </summary>
    public void Enqueue(WireFrame frame, long committedAt = 0) => EnqueueOne(new OutgoingFrame(frame, committedAt), FrameKind.Room);

    /// <summary>
    /// Queues a run of stored messages' frames (a committed batch) at once, so a burst leaves in
    /// one transport write instead of one per frame. The run is all or nothing against the queue limit.
    /// </summary>
    public void Enqueue(ReadOnlySpan<OutgoingFrame> run) => Enqueue(run, FrameKind.Room);

    /// <summary>
    /// Queues the ack of a message stored in <paramref name="room"/> at <paramref name="seq"/>. A
    /// socket that joined the room gets its own copy through the room's feed an instant later, so
    /// under the signal window the ack waits for it, at most one window, and the two leave in one
    /// write instead of two <c>send</c> calls, ack first. A copy already handed out, or none coming
    /// (not joined, a duplicate), leaves the ack to be written at once like any reply. Under
    /// WriteDelay the copy itself may wait and could not take the ack along, so acks never wait there.
    /// </summary>
    public void EnqueueAck(byte[] json, string room, long seq, bool duplicate)
    {
        var frame = new OutgoingFrame(WireFrame.Text(json), 0);
        var feed = Coalescer is not { HoldsEveryRoomFrame: false } || duplicate || !IsJoined(room) ? null : _delivery.FeedOf(room);
        Enqueue(new ReadOnlySpan<OutgoingFrame>(in frame), feed is null ? FrameKind.Reply : FrameKind.AckBeforeCopy, feed, seq);
    }

    private void EnqueueOne(OutgoingFrame frame, FrameKind kind) => Enqueue(new ReadOnlySpan<OutgoingFrame>(in frame), kind);

    private void Enqueue(ReadOnlySpan<OutgoingFrame> run, FrameKind kind, RoomFeed? copyFeed = null, long copySeq = 0)
    {
        var length = Length(run);
        bool overflow, startNow = false, startLater = false;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            overflow = _queuedBytes + length > _limits.QueueBytes;
            if (!overflow)
            {
                _queuedBytes += length;
                foreach (var frame in run)
                {
                    _pending.Enqueue(frame);
                }

                // Replies never wait; other room frames only under WriteDelay, signals under either
                // window, an ack for its own copy under the signal window. Read under this lock, the
                // feed's handed-out seq says whether the copy is still to come: the feed publishes it
                // before it takes any member's lock, so a copy not yet handed out finds the ack here
                // and takes it along.
                var coalescer = Coalescer;
                bool mayWait, hold = false;
                if (kind == FrameKind.AckBeforeCopy)
                {
                    // A copy already on its way out leaves the ack a plain reply, which also frees held signals.
                    mayWait = hold = copyFeed!.HandedOutSeq < copySeq;
                }
                else
                {
                    mayWait = coalescer is not null && (kind == FrameKind.Signal || (kind == FrameKind.Room && coalescer.HoldsEveryRoomFrame));
                    if (mayWait)
                    {
                        var now = Environment.TickCount64;
                        hold = coalescer!.IsBusy(_lastRoomFrameAt, now);
                        _lastRoomFrameAt = now;
                    }
                }

                if (!_writing)
                {
                    // A socket that gets room frames often waits for the front's write window, and
                    // what reaches it meanwhile leaves in the same write.
                    _writing = true;
                    startLater = hold;
                    startNow = !hold;
                    _scheduled = hold;
                }
                else if (!mayWait && _scheduled)
                {
                    // A frame that may not wait takes the held ones with it, in queue order.
                    _scheduled = false;
                    startNow = true;
                }
            }
        }

        if (overflow)
        {
            if (Close(CloseCodes.PolicyViolation, "outgoing queue limit exceeded", drain: false))
            {
                _metrics.QueueOverflowed();
            }
        }
        else if (startNow)
        {
            _ = WriteAsync();
        }
        else if (startLater)
        {
            Coalescer!.Schedule(this);
        }
    }

    /// <summary>The write window closed: the frames queued since it opened go out together.</summary>
    public void StartScheduledWrite()
    {
        lock (_gate)
        {
            // A frame that may not wait, or a close, may have started the writer already.
            if (!_scheduled)
            {
                return;
            }

            _scheduled = false;
        }

        _ = WriteAsync();
    }

    /// <summary>
    /// Queues frames that may be lost (signals): dropped, a run as a whole, when the queue is
    /// already half full, so a slow reader loses signals long before it loses its connection.
    /// </summary>
    public void EnqueueDroppable(ReadOnlySpan<OutgoingFrame> run)
    {
        if (Volatile.Read(ref _queuedBytes) + Length(run) > _limits.QueueBytes / 2)
        {
            _metrics.SignalDropped(run.Length);
            return;
        }

        Enqueue(run, FrameKind.Signal);
    }

    // A single signal's per-recipient path, kept as it was rather than routed through the run
    // version (three `ab` runs of that under `game` were 8-30 % worse, a fourth was even).
    public void EnqueueDroppable(WireFrame frame)
    {
        if (Volatile.Read(ref _queuedBytes) + frame.Bytes.Length > _limits.QueueBytes / 2)
        {
            _metrics.SignalDropped(1);
            return;
        }

        EnqueueOne(new OutgoingFrame(frame, 0), FrameKind.Signal);
    }

    private static long Length(ReadOnlySpan<OutgoingFrame> run)
    {
        long length = 0;
        foreach (var frame in run)
        {
            length += frame.Frame.Bytes.Length;
        }

        return length;
    }

    /// <summary>
    /// Closes with <paramref name="code"/>: the first close wins. With <paramref name="drain"/>
    /// the frames already queued go out first; without, they are dropped. True for the close that won.
    /// </summary>
    public bool Close(int code, string reason, bool drain)
    {
        bool startWriter;
        lock (_gate)
        {
            if (_closeCode != 0)
            {
                return false;
            }

            _closeCode = code;
            _closeReason = reason;
            _completed = true;
            if (!drain)
            {
                _pending.Clear();
                _queuedBytes = 0;
            }

            // A writer waiting for the write window starts now: the close should not wait.
            startWriter = !_writing || _scheduled;
            _scheduled = false;
            _writing = true;
        }

        // A writer stuck on a peer that does not read is cut off after a while. Reading goes on
        // until the writer has sent the close frame: cancelling a receive aborts the socket.
        _writeCancel.CancelAfter(StalledWriteTimeout);
        if (startWriter)
        {
            _ = WriteAsync();
        }

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

    /// <summary>
    /// The writer: runs while frames are queued, one at a time per connection (<c>_writing</c>).
    /// It starts on the thread that queued the first frame (or, for a socket held by the write
    /// window, on the window's timer) and stays there as long as the
    /// transport takes each write synchronously; a burst that queued up meanwhile goes out in one
    /// write. Once closed and drained, it sends the close frame. It never throws.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                OutgoingFrame single = default;
                byte[]? burst = null;
                int burstBytes = 0;
                long oldestCommit = 0;
                lock (_gate)
                {
                    if (_pending.Count == 0)
                    {
                        if (!_completed)
                        {
                            _writing = false;
                            return;
                        }

                        break;
                    }

                    single = _pending.Dequeue();
                    oldestCommit = single.CommittedAt;
                    var length = single.Frame.Bytes.Length;
                    if (_pending.Count > 0 && length < MaxBurstBytes)
                    {
                        // Several frames waiting: gather them into one transport write.
                        burst = ArrayPool<byte>.Shared.Rent(MaxBurstBytes);
                        single.Frame.Bytes.CopyTo(burst, 0);
                        burstBytes = length;
                        while (_pending.TryPeek(out var next) && burstBytes + next.Frame.Bytes.Length <= MaxBurstBytes)
                        {
                            _pending.Dequeue();
                            next.Frame.Bytes.CopyTo(burst, burstBytes);
                            burstBytes += next.Frame.Bytes.Length;
                            if (oldestCommit == 0)
                            {
                                oldestCommit = next.CommittedAt;
                            }
                        }
                    }

                    _queuedBytes -= burst is null ? length : burstBytes;
                }

                try
                {
                    var bytes = burst is null ? single.Frame.Bytes.AsMemory() : burst.AsMemory(0, burstBytes);
                    await _output.WriteAsync(bytes, _writeCancel.Token).ConfigureAwait(false);
                    _metrics.SocketWritten();
                }
                finally
                {
                    if (burst is not null)
                    {
                        ArrayPool<byte>.Shared.Return(burst);
                    }
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
        catch (Exception ex)
        {
            // A failed write ends the connection instead of throwing into the host (or into the
            // room's delivery loop that happened to start this writer).
            if (ex is not (WebSocketException or OperationCanceledException or IOException or ObjectDisposedException))
            {
                LogWriteFailed(ex);
            }

            lock (_gate)
            {
                _completed = true;
                _pending.Clear();
                _queuedBytes = 0;
            }

            _socket.Abort();
            _readCancel.Cancel();
        }

        // Only a closed or failed writer gets here; an idle one returned above and starts again with the next frame.
        _writerDone.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing to the socket failed.")]
    private partial void LogWriteFailed(Exception exception);

    /// <summary>Marks a direct room as joined on the user's behalf; false when it already was.</summary>
    public bool TryAddImplicitRoom(string room)
    {
        lock (_rooms)
        {
            return (_implicitRooms ??= new(StringComparer.Ordinal)).Add(room);
        }
    }

    /// <summary>A failed implicit join is forgotten, so the next direct message tries again.</summary>
    public void ForgetImplicitRoomIfFailed(Task join, string room)
    {
        if (!join.IsCompletedSuccessfully)
        {
            lock (_rooms)
            {
                _implicitRooms?.Remove(room);
            }
        }
    }

    private async Task LeaveAllAsync()
    {
        List<string> rooms;
        lock (_rooms)
        {
            rooms = [.. _implicitRooms is null ? _rooms : _rooms.Union(_implicitRooms)];
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

        lock (_rooms)
        {
            _implicitRooms = null;
        }
    }

    /// <summary>
    /// What a queued frame is, for the write window: replies never wait, signals wait under either
    /// window, other room frames only under WriteDelay, and an ack for its own copy of the message.
    /// </summary>
    private enum FrameKind
    {
        Reply,
        Room,
        Signal,
        AckBeforeCopy,
    }
}
