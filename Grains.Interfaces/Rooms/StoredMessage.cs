namespace Messaging.Rooms;

/// <summary>A committed message. <see cref="Ts"/> is server time in ms since the Unix epoch.</summary>
[GenerateSerializer, Immutable, Alias("messaging.StoredMessage")]
public sealed record StoredMessage(
    [property: Id(0)] long Seq,
    [property: Id(1)] string From,
    [property: Id(2)] string Body,
    [property: Id(3)] long Ts,
    [property: Id(4)] string? Cid);
