namespace Messaging.Rooms;

/// <summary>A member of a room and its role.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomMember")]
public sealed record RoomMember([property: Id(0)] string User, [property: Id(1)] RoomRole Role);
