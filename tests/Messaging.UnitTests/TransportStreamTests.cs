using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Messaging.WebFront.Connections;
using Xunit;

namespace Messaging.UnitTests;

public sealed class TransportStreamTests
{
    [Fact]
    public async Task A_write_larger_than_the_kernel_takes_at_once_arrives_whole_and_in_order()
    {
        var (sender, receiver) = await ConnectedPairAsync();
        using (sender)
        using (receiver)
        {
            sender.Blocking = false;
            sender.SendBufferSize = 16 * 1024;
            var payload = new byte[4 * 1024 * 1024];
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] = (byte)(i * 31);
            }

            var stream = new TransportStream(new Pipe().Reader, sender);

            // Nobody reads yet, so the kernel's buffers fill and the rest must be sent asynchronously.
            var write = stream.WriteAsync(payload);
            Assert.False(write.IsCompleted, "a 4 MiB write to a socket nobody reads finished synchronously");

            var received = new byte[payload.Length];
            var count = 0;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (count < received.Length)
            {
                var n = await receiver.ReceiveAsync(received.AsMemory(count), SocketFlags.None, timeout.Token);
                Assert.NotEqual(0, n);
                count += n;
            }

            await write;
            Assert.Equal(payload, received);
        }
    }

    [Fact]
    public async Task A_write_to_a_socket_the_peer_closed_fails_instead_of_hanging()
    {
        var (sender, receiver) = await ConnectedPairAsync();
        using (sender)
        {
            sender.Blocking = false;
            receiver.LingerState = new LingerOption(true, 0);
            receiver.Dispose();
            var stream = new TransportStream(new Pipe().Reader, sender);

            // The first send may still be taken by the kernel; the reset shows on a later one.
            await Assert.ThrowsAnyAsync<IOException>(async () =>
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                while (true)
                {
                    await stream.WriteAsync(new byte[64 * 1024], timeout.Token);
                }
            });
        }
    }

    private static async Task<(Socket Sender, Socket Receiver)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var sender = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptAsync();
        await sender.ConnectAsync(listener.LocalEndPoint!);
        return (sender, await accept);
    }
}
