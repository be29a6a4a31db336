namespace Messaging.WebFront.Connections;

/// <summary>A frame waiting for a socket: its wire bytes (often shared), and when its message was committed (0 for other frames).</summary>
internal readonly record struct OutgoingFrame(WireFrame Frame, long CommittedAt);
