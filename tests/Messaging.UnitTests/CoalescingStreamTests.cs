using System.Net.WebSockets;
using System.Text;
using Messaging.WebFront.Connections;
using Xunit;

namespace Messaging.UnitTests;

public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task A_batch_reaches_the_transport_as_one_write_of_whole_frames_in_order()
    {
        var transport = new RecordingStream();
        var coalescing = new CoalescingStream(transport);
        using var server = WebSocket.CreateFromStream(coalescing, new WebSocketCreationOptions { IsServer = true });

        coalescing.BeginBatch();
        for (var i = 0; i < 3; i++)
        {
            await server.SendAsync(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        Assert.Empty(transport.Writes);
        await coalescing.FlushBatchAsync(CancellationToken.None);

        var write = Assert.Single(transport.Writes);
        Assert.Equal(["{\"n\":0}", "{\"n\":1}", "{\"n\":2}"], await ReadMessagesAsync(write, 3));
    }

    [Fact]
    public async Task Outside_a_batch_every_frame_is_written_at_once()
    {
        var transport = new RecordingStream();
        var coalescing = new CoalescingStream(transport);
        using var server = WebSocket.CreateFromStream(coalescing, new WebSocketCreationOptions { IsServer = true });

        await server.SendAsync("a"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        await server.SendAsync("b"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);

        Assert.Equal(2, transport.Writes.Count);
    }

    [Fact]
    public async Task A_batch_larger_than_its_first_buffer_keeps_every_byte()
    {
        var transport = new RecordingStream();
        var coalescing = new CoalescingStream(transport);
        using var server = WebSocket.CreateFromStream(coalescing, new WebSocketCreationOptions { IsServer = true });
        var bodies = Enumerable.Range(0, 10).Select(i => new string((char)('a' + i), 5000)).ToList();

        coalescing.BeginBatch();
        foreach (var body in bodies)
        {
            await server.SendAsync(Encoding.UTF8.GetBytes(body), WebSocketMessageType.Text, true, CancellationToken.None);
        }

        await coalescing.FlushBatchAsync(CancellationToken.None);
        Assert.Equal(bodies, await ReadMessagesAsync(Assert.Single(transport.Writes), bodies.Count));
    }

    private static async Task<List<string>> ReadMessagesAsync(byte[] bytes, int count)
    {
        using var client = WebSocket.CreateFromStream(new MemoryStream(bytes), new WebSocketCreationOptions { IsServer = false });
        var messages = new List<string>();
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < count; i++)
        {
            var received = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(received), CancellationToken.None);
                received += result.Count;
            }
            while (!result.EndOfMessage);

            messages.Add(Encoding.UTF8.GetString(buffer, 0, received));
        }

        return messages;
    }

    /// <summary>A transport that records each write it is given.</summary>
    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return ValueTask.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => Writes.Add(buffer.AsSpan(offset, count).ToArray());

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
