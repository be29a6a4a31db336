namespace Messaging.Rooms;

/// <summary>A member's role in a room; a higher role may do everything a lower one may.</summary>
[GenerateSerializer, Alias("messaging.RoomRole")]
public enum RoomRole
{
    Member = 0,
    Admin = 1,
    Owner = 2,
}
