namespace Messaging.WebFront.Connections;

/// <summary>
/// The upgraded connection's stream, written by two parties: the connection, which writes its
/// frames already framed (<see cref="WireFrame"/>), and the WebSocket, which writes only its
/// control frames (ping, pong, close). Each write reaches the transport whole and one at a time,
/// so frames never interleave. Reads pass straight through to the WebSocket's receive loop.
/// </summary>
internal sealed class SharedWriteStream(Stream inner) : Stream
{
    // One writer at a time. A plain lock and flag, not a SemaphoreSlim: the uncontended enter
    // and exit run once per frame on the fan-out path, and contention (a pong racing a frame) is rare.
    private readonly Lock _lock = new();
    private bool _busy;
    private Queue<TaskCompletionSource>? _waiters;
    private long _lastReadAt = Environment.TickCount64;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The uncontended case (nearly every write) stays synchronous: no task, no continuation.
        if (TryEnter())
        {
            ValueTask write;
            try
            {
                write = inner.WriteAsync(buffer, cancellationToken);
            }
            catch
            {
                Exit();
                throw;
            }

            if (write.IsCompletedSuccessfully)
            {
                Exit();
                return ValueTask.CompletedTask;
            }

            return ReleaseAfterAsync(write);
        }

        return WriteContendedAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Writes are asynchronous.");

    /// <summary>
    /// When the WebSocket last asked for bytes (<see cref="Environment.TickCount64"/>). It asks again
    /// as soon as it has used what came, so this is when the peer last sent anything, a pong
    /// included: the keep-alive sweep's measure of a silent peer (<see cref="ClientConnection.KeepAlive"/>).
    /// </summary>
    public long LastReadAt => Volatile.Read(ref _lastReadAt);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _lastReadAt, Environment.TickCount64);
        return inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    private bool TryEnter()
    {
        lock (_lock)
        {
            if (_busy)
            {
                return false;
            }

            _busy = true;
            return true;
        }
    }

    private async Task EnterAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (!_busy)
            {
                _busy = true;
                return;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (_waiters ??= new()).Enqueue(waiter);
        }

        // A cancelled waiter stays queued as cancelled, and Exit passes over it.
        using var registration = cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter);
        await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Hands the stream to the next waiter still waiting, or frees it.</summary>
    private void Exit()
    {
        lock (_lock)
        {
            while (_waiters is not null && _waiters.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                {
                    return;
                }
            }

            _busy = false;
        }
    }

    private async ValueTask ReleaseAfterAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private async ValueTask WriteContendedAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }
}
