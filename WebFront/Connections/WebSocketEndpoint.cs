using System.Net.WebSockets;
using Messaging.WebFront.Delivery;
using Messaging.WebFront.Protocol;
using Messaging.WebFront.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Connections;

/// <summary><c>GET /ws</c>: upgrades an authenticated request and runs the connection to its end.</summary>
internal sealed partial class WebSocketEndpoint(
    ConnectionRegistry registry,
    FrontDelivery delivery,
    RoomSender sender,
    GrainReferences grains,
    FrontMetrics metrics,
    WriteCoalescer coalescer,
    IOptions<ProtocolLimits> limits,
    ILogger<ClientConnection> logger)
{
    private static readonly Func<ILogger, string, string, IDisposable?> ConnectionScope =
        LoggerMessage.DefineScope<string, string>("connection {ConnectionId} of {User}");

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required",
                detail: "Connect to /ws with a WebSocket upgrade.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        if (registry.IsDraining)
        {
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Shutting down",
                detail: "This front is shutting down; connect again.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var user = context.User.FindFirst("sub")!.Value;
        // No timer per socket: the registry's sweep pings and times out every socket (ClientConnection.KeepAlive).
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.Zero,
        }).ConfigureAwait(false);

        // The connection writes its frames straight to the upgraded stream (see SharedWriteStream).
        var output = (context.Features.Get<IHttpUpgradeFeature>() as SharedWriteUpgradeFeature)?.Stream
            ?? throw new InvalidOperationException("The socket route is missing its upgrade wrapper (MapMessagingEndpoints installs it).");
        DateTimeOffset? expires = long.TryParse(context.User.FindFirst("exp")?.Value, out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
        await RunAsync(socket, output, user, expires, HandshakePath.Pipeline, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>True while this front takes new sockets (not draining).</summary>
    public bool Accepting => !registry.IsDraining;

    /// <summary>
    /// Runs an accepted socket to its end, however its handshake was answered: registers it (the
    /// registry closes it with 4001 when its token expires), and takes it out of every room afterwards.
    /// </summary>
    public async Task RunAsync(WebSocket socket, SharedWriteStream output, string user, DateTimeOffset? expires, string handshake, CancellationToken aborted)
    {
        var connection = new ClientConnection(socket, output, user, limits.Value, delivery, sender, grains, metrics, logger)
        {
            Coalescer = coalescer.Enabled ? coalescer : null,
            ExpiresAt = expires ?? DateTimeOffset.MaxValue,
        };

        // Every log line of this socket names it and its user (never its token).
        using var scope = ConnectionScope(logger, connection.Id, user);
        registry.Add(connection);
        delivery.AddConnection(connection);
        metrics.ConnectionOpened(handshake);
        LogConnected(connection.Id, user);
        try
        {
            await connection.RunAsync(aborted).ConfigureAwait(false);
        }
        finally
        {
            delivery.RemoveConnection(connection);
            registry.Remove(connection);
            metrics.ConnectionClosed(connection.CloseCode);
            socket.Dispose();
            LogDisconnected(connection.Id, user);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} opened for {User}.")]
    private partial void LogConnected(string connectionId, string user);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} of {User} closed.")]
    private partial void LogDisconnected(string connectionId, string user);
}
