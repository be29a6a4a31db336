namespace Messaging.Client;

/// <summary>The answer to a join: the room's latest seq and how many users are online.</summary>
public sealed record JoinResult(string Room, long Seq, int Online);
