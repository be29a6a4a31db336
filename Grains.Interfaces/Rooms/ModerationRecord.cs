namespace Messaging.Rooms;

/// <summary>One recorded moderation action: who did what to whom, and when (ms since epoch).</summary>
[GenerateSerializer, Immutable, Alias("messaging.ModerationRecord")]
public sealed record ModerationRecord(
    [property: Id(0)] long Id,
    [property: Id(1)] long At,
    [property: Id(2)] string Actor,
    [property: Id(3)] ModerationAction Action,
    [property: Id(4)] string Target,
    [property: Id(5)] string? Reason);
