using System.Buffers;

namespace Messaging.WebFront.Connections;

/// <summary>
/// The upgraded connection's stream, able to gather several WebSocket frames into one write. The
/// connection's writer opens a batch, sends every frame it has queued (each lands in a pooled
/// buffer), and flushes them to the transport as one write: one syscall for a burst instead of
/// one per frame. Outside a batch, and for the WebSocket's own control frames, writes pass through.
/// No buffer is held between batches, so an idle connection costs nothing here.
/// </summary>
internal sealed class CoalescingStream(Stream inner) : Stream
{
    private const int InitialBatchBytes = 16 * 1024;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _transport = new(1, 1);
    private byte[]? _batch;
    private int _batched;

    /// <summary>Bytes gathered in the open batch.</summary>
    public int BatchedBytes
    {
        get
        {
            lock (_gate)
            {
                return _batched;
            }
        }
    }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void BeginBatch()
    {
        lock (_gate)
        {
            _batch ??= ArrayPool<byte>.Shared.Rent(InitialBatchBytes);
        }
    }

    /// <summary>Writes what the batch gathered as one write and returns its buffer to the pool.</summary>
    public async ValueTask FlushBatchAsync(CancellationToken cancellationToken)
    {
        byte[]? batch;
        int count;
        lock (_gate)
        {
            batch = _batch;
            count = _batched;
            _batch = null;
            _batched = 0;
        }

        if (batch is null)
        {
            return;
        }

        try
        {
            if (count > 0)
            {
                await WriteToTransportAsync(batch.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_batch is not null)
            {
                if (_batched + buffer.Length > _batch.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_batch.Length * 2, _batched + buffer.Length));
                    _batch.AsSpan(0, _batched).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_batch);
                    _batch = larger;
                }

                buffer.Span.CopyTo(_batch.AsSpan(_batched));
                _batched += buffer.Length;
                return ValueTask.CompletedTask;
            }
        }

        return WriteToTransportAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Writes are asynchronous.");

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

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
            lock (_gate)
            {
                if (_batch is not null)
                {
                    ArrayPool<byte>.Shared.Return(_batch);
                    _batch = null;
                }
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    // The writer's batch and the WebSocket's pongs reach the transport one at a time, whole.
    private async ValueTask WriteToTransportAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await _transport.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _transport.Release();
        }
    }
}
