namespace Messaging.Events;

[GenerateSerializer, Alias("messaging.RoomEventKind")]
public enum RoomEventKind
{
    /// <summary>Messages were stored (one event per committed batch, in seq order).</summary>
    Messages = 0,

    /// <summary>A user came online in the room (its first connection there).</summary>
    Joined = 1,

    /// <summary>A user went offline in the room (its last connection left, or was removed).</summary>
    Left = 2,

    /// <summary>A moderation action was taken.</summary>
    Moderated = 3,
}
