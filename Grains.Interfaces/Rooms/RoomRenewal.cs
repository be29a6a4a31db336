namespace Messaging.Rooms;

/// <summary>
/// The answer to a front's lease renewal: the room's latest seq, and the users of that front the
/// room no longer admits (user → reason: <c>banned</c>, <c>removed</c>, <c>deleted</c>), whose
/// connections the front must remove. This repairs a lost removal notice, and says the same reason
/// the notice would have, since the two may arrive in either order. <see cref="SoleFront"/> as in
/// <see cref="RoomJoinResult"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomRenewal")]
public sealed record RoomRenewal(
    [property: Id(0)] long Seq,
    [property: Id(1)] IReadOnlyDictionary<string, string>? Evicted,
    [property: Id(2)] bool SoleFront = false);
