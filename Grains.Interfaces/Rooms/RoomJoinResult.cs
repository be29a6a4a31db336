namespace Messaging.Rooms;

/// <summary>
/// The answer to a join: the room's latest seq and how many users are online, or, when
/// <see cref="Access"/> is not <see cref="RoomAccess.Allowed"/>, why the user was not let in.
/// A room with a kind may give the joiner its current state (<see cref="Welcome"/>, JSON) and takes
/// its members' signals itself (<see cref="SignalsThroughRoom"/>), so fronts must not deliver
/// them locally first. <see cref="SoleFront"/>: the joining front holds all the room's members, so
/// it need not pass its members' signals to the room (until told otherwise).
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomJoinResult")]
public sealed record RoomJoinResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] int Online,
    [property: Id(2)] RoomAccess Access = RoomAccess.Allowed,
    [property: Id(3)] string? Welcome = null,
    [property: Id(4)] string? Reason = null,
    [property: Id(5)] bool SignalsThroughRoom = false,
    [property: Id(6)] bool SoleFront = false)
{
    public static RoomJoinResult Refused(RoomAccess access, string? reason = null) => new(0, 0, access, Reason: reason);
}
