namespace Messaging.WebFront.Connections;

/// <summary>What the first bytes of a connection turned out to be.</summary>
internal enum SocketHandshakeReading
{
    /// <summary>So far a socket upgrade to /ws; the head is not complete yet.</summary>
    Incomplete,

    /// <summary>Anything else, or an upgrade with something unusual in it: Kestrel's HTTP pipeline answers it.</summary>
    NotOurs,

    /// <summary>A complete, plain socket upgrade to /ws that this front can accept itself.</summary>
    Ours,
}
