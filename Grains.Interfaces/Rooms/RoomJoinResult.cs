namespace Messaging.Rooms;

/// <summary>The answer to a join: the room's latest seq and how many users are online.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomJoinResult")]
public sealed record RoomJoinResult([property: Id(0)] long Seq, [property: Id(1)] int Online);
