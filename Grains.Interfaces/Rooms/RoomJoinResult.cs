namespace Messaging.Rooms;

/// <summary>
/// The answer to a join: the room's latest seq and how many users are online, or, when
/// <see cref="Access"/> is not <see cref="RoomAccess.Allowed"/>, why the user was not let in.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomJoinResult")]
public sealed record RoomJoinResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] int Online,
    [property: Id(2)] RoomAccess Access = RoomAccess.Allowed)
{
    public static RoomJoinResult Refused(RoomAccess access) => new(0, 0, access);
}
