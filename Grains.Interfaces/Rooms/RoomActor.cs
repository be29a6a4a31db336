namespace Messaging.Rooms;

/// <summary>
/// Who asks a room to change or reveal itself: a user, checked against its role, or a backend
/// service whose scope the front has already checked.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomActor")]
public sealed record RoomActor([property: Id(0)] string Id, [property: Id(1)] bool IsService)
{
    public static RoomActor User(string id) => new(id, IsService: false);

    public static RoomActor Service(string name) => new(name, IsService: true);
}
