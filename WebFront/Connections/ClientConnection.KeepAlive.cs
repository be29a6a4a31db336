using System.Net.WebSockets;

namespace Messaging.WebFront.Connections;

/// <summary>
/// Keep-alive from the registry's one-second sweep instead of a timer per socket: with a timer
/// each, 5,000 sockets fired 1,000 timers a second, whose queue walks were 2–3 % of the front's
/// CPU under bench `chat`. A socket quiet for a third of the idle timeout gets a ping (pings keep
/// NATs open and make a live peer answer); one silent for the whole idle timeout is aborted.
/// </summary>
internal sealed partial class ClientConnection
{
    // A WebSocket ping with no payload, as the server sends it (unmasked).
    private static readonly byte[] PingFrame = [0x89, 0x00];

    private long _lastPingAt = long.MinValue / 2;

    /// <summary>Pings or aborts a quiet socket; <paramref name="now"/> is <see cref="Environment.TickCount64"/>.</summary>
    public void KeepAlive(long now)
    {
        if (_socket.State != WebSocketState.Open || CloseCode != 0)
        {
            return;
        }

        var idleTimeout = (long)_limits.IdleTimeout.TotalMilliseconds;
        var quiet = now - _output.LastReadAt;
        if (quiet >= idleTimeout)
        {
            _socket.Abort();
            return;
        }

        var pingAfter = idleTimeout / 3;
        if (quiet >= pingAfter && now - _lastPingAt >= pingAfter)
        {
            _lastPingAt = now;
            _ = PingAsync();
        }
    }

    private async Task PingAsync()
    {
        try
        {
            await _output.WriteAsync(PingFrame).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or WebSocketException or System.Net.Sockets.SocketException)
        {
            // The socket is going away; its read loop sees that and cleans up.
        }
    }
}
