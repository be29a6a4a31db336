namespace Messaging.Client;

/// <summary>A stored message: its room, its seq and the cid it was sent (and retried) with.</summary>
public sealed record SendResult(string Room, long Seq, string Cid);
