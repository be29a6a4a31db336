namespace Messaging.Users;

/// <summary>How many messages of <see cref="Room"/> lie after the user's read marker.</summary>
[GenerateSerializer, Immutable, Alias("messaging.UnreadCount")]
public sealed record UnreadCount(
    [property: Id(0)] string Room,
    [property: Id(1)] long Unread,
    [property: Id(2)] long LastSeq,
    [property: Id(3)] long ReadSeq);
