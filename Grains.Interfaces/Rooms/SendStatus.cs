namespace Messaging.Rooms;

[GenerateSerializer, Alias("messaging.SendStatus")]
public enum SendStatus
{
    /// <summary>Committed (or found committed, for a cid retry).</summary>
    Stored = 0,

    /// <summary>Storage could not be reached; nothing was stored.</summary>
    Unavailable = 1,

    /// <summary>A private room the sender is not a member of, or a deleted room; nothing was stored.</summary>
    NotFound = 2,

    /// <summary>The sender is muted in the room; nothing was stored.</summary>
    Muted = 3,

    /// <summary>The sender is banned from the room; nothing was stored.</summary>
    Banned = 4,

    /// <summary>The room's kind refused the message (<see cref="SendResult.Code"/>, <see cref="SendResult.Message"/>); nothing was stored.</summary>
    Rejected = 5,
}
