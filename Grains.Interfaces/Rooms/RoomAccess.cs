namespace Messaging.Rooms;

/// <summary>What a room lets one user do, checked by the room itself on every join, read and send.</summary>
[GenerateSerializer, Alias("messaging.RoomAccess")]
public enum RoomAccess
{
    Allowed = 0,

    /// <summary>A private room the user is not a member of, or a deleted room: to this user it does not exist.</summary>
    NotFound = 1,

    /// <summary>The user is banned from the room.</summary>
    Banned = 2,

    /// <summary>The room's kind refused the join, with a reason of its own.</summary>
    Refused = 3,
}
