using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Messaging.WebFront.Connections;

/// <summary>
/// The raw transport of a connection whose upgrade this front answered itself, as the stream a
/// WebSocket runs over. Reads come from Kestrel's socket input pipe; a zero-byte read waits for
/// data without taking a buffer, so an idle socket holds none. Writes go straight to the socket
/// when Kestrel exposes it: a non-blocking send on the writer's own thread (for a room message,
/// the room's delivery loop), and an asynchronous one only for what the kernel did not take at
/// once. That skips the output pipe's copy and the transport's send loop, a thread hop per write.
/// </summary>
internal sealed class TransportStream(PipeReader input, Socket socket) : Stream
{
    private readonly PipeReader _input = input;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The read was cancelled.");
            }

            var data = result.Buffer;
            if (!data.IsEmpty)
            {
                var count = (int)Math.Min(buffer.Length, data.Length);
                data.Slice(0, count).CopyTo(buffer.Span);
                _input.AdvanceTo(data.GetPosition(count));
                return count;
            }

            _input.AdvanceTo(data.End);
            if (result.IsCompleted)
            {
                return 0;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        Send(socket, buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Reads are asynchronous.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Writes are asynchronous.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // An aborted WebSocket disposes its stream: a read still waiting returns at once. The pipe
        // and the socket belong to Kestrel, which closes them when the connection ends.
        if (disposing)
        {
            _input.CancelPendingRead();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Sends <paramref name="buffer"/> on a non-blocking socket: synchronously as far as the
    /// kernel's send buffer allows, then the rest asynchronously.
    /// </summary>
    public static ValueTask Send(Socket socket, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        var sent = 0;
        while (sent < buffer.Length)
        {
            var count = socket.Send(buffer.Span[sent..], SocketFlags.None, out var error);
            switch (error)
            {
                case SocketError.Success:
                    sent += count;
                    break;
                case SocketError.WouldBlock:
                    return SendRestAsync(socket, buffer[sent..], cancellationToken);
                case SocketError.Interrupted:
                    break;
                default:
                    throw new IOException("Sending on the socket failed.", new SocketException((int)error));
            }
        }

        return ValueTask.CompletedTask;
    }

    private static async ValueTask SendRestAsync(Socket socket, ReadOnlyMemory<byte> rest, CancellationToken cancellationToken)
    {
        while (!rest.IsEmpty)
        {
            var count = await socket.SendAsync(rest, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            rest = rest[count..];
        }
    }
}
