namespace Messaging.Rooms;

/// <summary>The outcome of a room administration call; the front maps it to its protocol's error.</summary>
[GenerateSerializer, Alias("messaging.RoomStatus")]
public enum RoomStatus
{
    Ok = 0,

    /// <summary>No such room, or a private room the caller may not see.</summary>
    NotFound = 1,

    /// <summary>The caller may see the room but not do this.</summary>
    Forbidden = 2,

    /// <summary>The room's state does not allow it (the name is taken, the last owner cannot go).</summary>
    Conflict = 3,

    /// <summary>A configured limit (members per room, rooms per user) would be crossed.</summary>
    LimitReached = 4,

    /// <summary>Storage could not be reached; nothing changed.</summary>
    Unavailable = 5,
}
