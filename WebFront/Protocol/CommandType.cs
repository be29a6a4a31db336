namespace Messaging.WebFront.Protocol;

/// <summary>The client-to-server frame types of protocol version 1.</summary>
internal enum CommandType
{
    Join,
    Leave,
    Send,
    Dm,
    Signal,
    History,
    Presence,
    Read,
    Moderate,

    /// <summary>A custom command to a room's kind (this project's extension, docs/PROTOCOL.md).</summary>
    Call,
    Ping,
}
