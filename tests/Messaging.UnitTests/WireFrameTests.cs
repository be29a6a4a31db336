using System.Net.WebSockets;
using System.Text;
using Messaging.WebFront.Connections;
using Xunit;

namespace Messaging.UnitTests;

public sealed class WireFrameTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65535)]
    [InlineData(65536)]
    [InlineData(300_000)]
    public async Task A_frame_of_any_length_reads_back_as_one_text_message(int length)
    {
        var payload = Encoding.UTF8.GetBytes(new string('x', length));

        var messages = await ReadMessagesAsync(WireFrame.Text(payload).Bytes, 1);

        var message = Assert.Single(messages);
        Assert.Equal(WebSocketMessageType.Text, message.Type);
        Assert.Equal(payload, message.Payload);
    }

    [Fact]
    public async Task Frames_written_back_to_back_read_back_in_order()
    {
        var burst = new MemoryStream();
        for (var i = 0; i < 3; i++)
        {
            burst.Write(WireFrame.Text(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}")).Bytes);
        }

        var messages = await ReadMessagesAsync(burst.ToArray(), 3);

        Assert.Equal(["{\"n\":0}", "{\"n\":1}", "{\"n\":2}"], messages.Select(m => Encoding.UTF8.GetString(m.Payload)));
    }

    [Fact]
    public async Task The_WebSockets_own_frames_and_direct_frames_share_the_stream_without_interleaving()
    {
        var transport = new GatedStream();
        var shared = new SharedWriteStream(transport);
        using var server = WebSocket.CreateFromStream(shared, new WebSocketCreationOptions { IsServer = true });

        // The first direct write hangs in the transport; the WebSocket's send must wait for it, whole.
        var first = shared.WriteAsync(WireFrame.Text("{\"n\":0}"u8).Bytes);
        Assert.False(first.IsCompleted);
        var second = server.SendAsync("{\"n\":1}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.Single(transport.Writes);

        transport.Release();
        await first;
        await second;
        await shared.WriteAsync(WireFrame.Text("{\"n\":2}"u8).Bytes);

        Assert.Equal(3, transport.Writes.Count);
        var messages = await ReadMessagesAsync([.. transport.Writes.SelectMany(w => w)], 3);
        Assert.Equal(["{\"n\":0}", "{\"n\":1}", "{\"n\":2}"], messages.Select(m => Encoding.UTF8.GetString(m.Payload)));
    }

    [Fact]
    public async Task A_writer_that_gave_up_waiting_does_not_keep_the_stream()
    {
        var transport = new GatedStream();
        var shared = new SharedWriteStream(transport);
        var first = shared.WriteAsync(WireFrame.Text("{\"n\":0}"u8).Bytes);
        using var cancel = new CancellationTokenSource();
        var abandoned = shared.WriteAsync(WireFrame.Text("{\"n\":1}"u8).Bytes, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await abandoned);
        transport.Release();
        await first;
        await shared.WriteAsync(WireFrame.Text("{\"n\":2}"u8).Bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(2, transport.Writes.Count);
    }

    private static async Task<List<(WebSocketMessageType Type, byte[] Payload)>> ReadMessagesAsync(byte[] bytes, int count)
    {
        using var client = WebSocket.CreateFromStream(new MemoryStream(bytes), new WebSocketCreationOptions { IsServer = false });
        var messages = new List<(WebSocketMessageType, byte[])>();
        var buffer = new byte[400_000];
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

            messages.Add((result.MessageType, buffer[..received]));
        }

        return messages;
    }

    /// <summary>A transport that records each write and holds the first one until released.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<byte[]> Writes { get; } = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Release() => _release.TrySetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.ToArray());
            return Writes.Count == 1 ? new ValueTask(_release.Task) : ValueTask.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => 0;

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
