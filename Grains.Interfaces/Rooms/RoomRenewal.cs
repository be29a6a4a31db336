namespace Messaging.Rooms;

/// <summary>
/// The answer to a front's lease renewal: the room's latest seq, and the users of that front the
/// room no longer admits (banned, or no longer members of a private room), whose connections the
/// front must remove. This repairs a lost removal notice.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomRenewal")]
public sealed record RoomRenewal([property: Id(0)] long Seq, [property: Id(1)] IReadOnlyList<string>? Evicted);
