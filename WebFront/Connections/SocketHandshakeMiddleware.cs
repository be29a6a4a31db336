using System.IO.Pipelines;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Messaging.WebFront.Auth;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Messaging.WebFront.Connections;

/// <summary>
/// A Kestrel connection middleware that answers a plain socket upgrade to <c>/ws</c> itself and
/// runs the WebSocket straight on the transport (reads from its input pipe, sends on its socket). An upgraded request that went through
/// the HTTP pipeline keeps Kestrel's HTTP/1 connection, its request and response state and the
/// middleware chain alive for the socket's whole life (most of an idle socket's memory), and every
/// frame passes Kestrel's response layers on the way out. Anything this does not fully understand,
/// and every request it would refuse, goes on to Kestrel unread, so errors are answered exactly as
/// before (problem details, 401 with WWW-Authenticate, 403, 503).
/// </summary>
internal sealed partial class SocketHandshakeMiddleware(ConnectionDelegate next, WebSocketEndpoint endpoint, SocketTokenValidator tokens,
    OriginPolicy origins, ILogger<SocketHandshakeMiddleware> logger)
{
    // How long the first request head may take to arrive before Kestrel is given the connection
    // (and applies its own header timeout): a client sends its handshake at once.
    private static readonly TimeSpan HeadWait = TimeSpan.FromSeconds(5);

    private static ReadOnlySpan<byte> AcceptGuid => "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"u8;

    public async Task OnConnectionAsync(ConnectionContext connection)
    {
        // Only a socket transport's connections are taken (Kestrel's TCP and Unix sockets); any
        // other goes to the pipeline as it always did.
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { } transportSocket)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        // The handshake's state (the head, the token, the read) lives in its own frame, gone once
        // it is answered; this frame, which waits as long as the socket lives, holds only the socket.
        var accepted = await AcceptAsync(connection, transportSocket).ConfigureAwait(false);
        if (accepted is null)
        {
            return;
        }

        try
        {
            await endpoint.RunAsync(accepted.Value.Socket, accepted.Value.Stream, accepted.Value.User, accepted.Value.Expires, HandshakePath.Direct,
                connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportEnd(ex))
        {
            LogSocketEnded(ex);
        }
    }

    /// <summary>
    /// Reads and answers the handshake. Null when the connection went to Kestrel instead (and has
    /// been served there) or ended during the handshake.
    /// </summary>
    private async Task<AcceptedSocket?> AcceptAsync(ConnectionContext connection, Socket transportSocket)
    {
        var input = connection.Transport.Input;
        SocketHandshake handshake;
        ReadResult read;
        using (var wait = new CancellationTokenSource(HeadWait))
        {
            while (true)
            {
                try
                {
                    read = await input.ReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await next(connection).ConfigureAwait(false);
                    return null;
                }

                var reading = SocketHandshakeParser.Read(read.Buffer, out handshake);
                if (reading == SocketHandshakeReading.Ours)
                {
                    break;
                }

                if (reading == SocketHandshakeReading.NotOurs || read.IsCompleted || read.IsCanceled)
                {
                    // Nothing consumed: Kestrel reads the same bytes from the start.
                    input.AdvanceTo(read.Buffer.Start);
                    await next(connection).ConfigureAwait(false);
                    return null;
                }

                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        }

        var scheme = connection.Features.Get<ITlsHandshakeFeature>() is null ? "http" : "https";
        var identity = endpoint.Accepting && origins.IsAllowed(handshake.Origin, scheme, handshake.Host)
            ? await tokens.ValidateAsync(handshake.Token).ConfigureAwait(false)
            : null;
        if (identity is not { } accepted)
        {
            input.AdvanceTo(read.Buffer.Start);
            await next(connection).ConfigureAwait(false);
            return null;
        }

        input.AdvanceTo(read.Buffer.GetPosition(handshake.HeadLength));
        var key = handshake.Key;

        // Sends go on the socket, not through Kestrel's output pipe (see TransportStream); the 101
        // goes the same way, so nothing sent later can overtake it in the pipe's sender.
        transportSocket.Blocking = false;
        try
        {
            await TransportStream.Send(transportSocket, SwitchingProtocols(key), connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportEnd(ex))
        {
            LogSocketEnded(ex);
            return null;
        }

        var stream = new SharedWriteStream(new TransportStream(input, transportSocket));
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,

            // No timer per socket: the registry's sweep pings and times out every socket (ClientConnection.KeepAlive).
            KeepAliveInterval = TimeSpan.Zero,
        });
        return new AcceptedSocket(socket, stream, accepted.User, accepted.Expires);
    }

    // The peer went away while the socket was being set up, used or torn down.
    private static bool IsTransportEnd(Exception ex) =>
        ex is IOException or SocketException or OperationCanceledException or WebSocketException or ConnectionAbortedException;

    /// <summary>The 101 response; it is sent before the WebSocket exists, so no frame can overtake it.</summary>
    private static byte[] SwitchingProtocols(string key)
    {
        Span<byte> keyAndGuid = stackalloc byte[24 + 36];
        Encoding.ASCII.GetBytes(key, keyAndGuid);
        AcceptGuid.CopyTo(keyAndGuid[24..]);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(keyAndGuid, hash);

        var head = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: "u8;
        var response = new byte[head.Length + 28 + 4];
        head.CopyTo(response);
        System.Buffers.Text.Base64.EncodeToUtf8(hash, response.AsSpan(head.Length), out _, out var accept);
        "\r\n\r\n"u8.CopyTo(response.AsSpan(head.Length + accept));
        return response;
    }

    private readonly record struct AcceptedSocket(WebSocket Socket, SharedWriteStream Stream, string User, DateTimeOffset? Expires);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A directly accepted socket ended with an error from its transport.")]
    private partial void LogSocketEnded(Exception exception);
}
