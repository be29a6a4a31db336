namespace Messaging.Rooms;

[GenerateSerializer, Alias("messaging.SendStatus")]
public enum SendStatus
{
    /// <summary>Committed (or found committed, for a cid retry).</summary>
    Stored = 0,

    /// <summary>Storage could not be reached; nothing was stored.</summary>
    Unavailable = 1,
}
