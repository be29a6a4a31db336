namespace Messaging.WebFront.Connections;

/// <summary>A frame waiting for a socket: the shared bytes, and when its message was committed (0 for other frames).</summary>
internal readonly record struct OutgoingFrame(byte[] Bytes, long CommittedAt);
