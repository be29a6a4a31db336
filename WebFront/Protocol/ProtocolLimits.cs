namespace Messaging.WebFront.Protocol;

/// <summary>Per-connection limits (PROTOCOL.md's defaults), stated to clients in <c>welcome.limits</c>.</summary>
public sealed class ProtocolLimits
{
    public const string SectionName = "Limits";

    public const int DefaultFrameBytes = 64 * 1024;
    public const int DefaultCommandsPerSecond = 50;
    public const int DefaultCommandBurst = 100;
    public const int DefaultRoomsPerConnection = 200;
    public const int DefaultQueueBytes = 1024 * 1024;

    /// <summary>Largest client frame; a larger one closes the socket with 1009.</summary>
    public int FrameBytes { get; set; } = DefaultFrameBytes;

    /// <summary>Sustained command rate per connection.</summary>
    public int CommandsPerSecond { get; set; } = DefaultCommandsPerSecond;

    /// <summary>Commands a connection may send at once before the rate applies.</summary>
    public int CommandBurst { get; set; } = DefaultCommandBurst;

    /// <summary>Rooms one connection may be joined to.</summary>
    public int RoomsPerConnection { get; set; } = DefaultRoomsPerConnection;

    /// <summary>Bytes queued to a slow client before it is closed with 1008.</summary>
    public int QueueBytes { get; set; } = DefaultQueueBytes;

    /// <summary>A connection silent this long (no frame, no pong) is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
