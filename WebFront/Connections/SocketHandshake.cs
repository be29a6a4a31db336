namespace Messaging.WebFront.Connections;

/// <summary>
/// A socket upgrade request read straight off the transport, before Kestrel's HTTP layer sees it:
/// what <see cref="SocketHandshakeMiddleware"/> needs to accept it on its own.
/// </summary>
/// <param name="HeadLength">Bytes of the request head, up to and including the blank line.</param>
/// <param name="Key">Sec-WebSocket-Key, as sent.</param>
/// <param name="Token">The bearer token: the Authorization header's, else the query's access_token.</param>
/// <param name="Origin">The Origin header, or empty when the client sent none.</param>
/// <param name="Host">The Host header.</param>
internal readonly record struct SocketHandshake(int HeadLength, string Key, string Token, string Origin, string Host);
