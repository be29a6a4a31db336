namespace Messaging.WebFront.Connections;

/// <summary>How a socket's upgrade was answered: the <c>handshake</c> tag of <c>messaging.connections.opened</c>.</summary>
internal static class HandshakePath
{
    /// <summary>Read and accepted by <see cref="SocketHandshakeMiddleware"/>, before Kestrel's HTTP layer.</summary>
    public const string Direct = "direct";

    /// <summary>Through the ASP.NET Core pipeline (an unusual request, or one that middleware refuses).</summary>
    public const string Pipeline = "pipeline";
}
