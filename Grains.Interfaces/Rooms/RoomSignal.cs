namespace Messaging.Rooms;

/// <summary>
/// An ephemeral message: not stored, no seq. <see cref="OriginConnection"/> lets the sender's own
/// front skip the connection it came from; <see cref="OriginFront"/>, when set, has already
/// delivered it to its own members, so the room sends it only to the other fronts.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomSignal")]
public sealed record RoomSignal(
    [property: Id(0)] string Room,
    [property: Id(1)] string From,
    [property: Id(2)] string OriginConnection,
    [property: Id(3)] string Body,
    [property: Id(4)] string? OriginFront = null);
