namespace Messaging.Rooms.Kinds;

/// <summary>A kind's answer to a join: allowed (with the room's state for the joiner, as JSON) or refused with a reason.</summary>
public sealed record JoinDecision(bool Allowed, string? Welcome, string? Reason)
{
    public static JoinDecision Allow(string? welcome = null) => new(true, welcome, null);

    public static JoinDecision Refuse(string reason) => new(false, null, reason);
}
