namespace Messaging.Rooms;

/// <summary>
/// A message to store. <see cref="Body"/> is the client's JSON value, already validated by the front.
/// <see cref="Cid"/> makes a retry idempotent per sender and room.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.SendRequest")]
public sealed record SendRequest(
    [property: Id(0)] string From,
    [property: Id(1)] string Body,
    [property: Id(2)] string? Cid);
