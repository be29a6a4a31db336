namespace Messaging.Rooms;

/// <summary>Who is online in a room: the count, and at most <see cref="MaxUsers"/> of the user ids; empty when the asker may not see the room.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomPresence")]
public sealed record RoomPresence(
    [property: Id(0)] int Online,
    [property: Id(1)] IReadOnlyList<string> Users,
    [property: Id(2)] RoomAccess Access = RoomAccess.Allowed)
{
    public const int MaxUsers = 1000;
}
