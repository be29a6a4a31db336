namespace Messaging.Rooms.Kinds;

/// <summary>
/// Server-side logic for every room whose name starts with a registered prefix (see
/// <see cref="RoomKindSiloBuilderExtensions.AddRoomKind{TKind}"/>). One instance lives with each
/// activation of such a room, on the room's own scheduler: hooks never run at the same time, so a
/// kind needs no locks. Hooks must not block; each has <see cref="RoomKindOptions.HookTimeout"/>,
/// after which the call fails (a join or send is refused with <c>internal</c>) and the room goes on.
/// A hook that throws is treated the same way, and logged.
/// </summary>
public abstract class RoomKind
{
    /// <summary>How often <see cref="OnTickAsync"/> runs while the room has members; null: never.</summary>
    public virtual TimeSpan? TickPeriod => null;

    /// <summary>Set by the room before any hook runs.</summary>
    public IRoomKindContext Room { get; internal set; } = null!;

    /// <summary>Called once when the room activates, after its state is loaded.</summary>
    public virtual ValueTask OnActivateAsync() => ValueTask.CompletedTask;

    /// <summary>Lets <paramref name="user"/> in (optionally sending it the room's current state) or refuses it with a reason.</summary>
    public virtual ValueTask<JoinDecision> OnJoinAsync(string user) => new(JoinDecision.Allow());

    /// <summary>Accepts, rewrites or refuses a message before it is stored; a refused message gets no seq.</summary>
    public virtual ValueTask<SendDecision> OnSendAsync(string user, string body) => new(SendDecision.Accept());

    /// <summary>An ephemeral signal from a member; return true to pass it on to every member as it is.</summary>
    public virtual ValueTask<bool> OnSignalAsync(string user, string body) => new(true);

    /// <summary>A custom command (<c>{"type":"call","method":…,"args":…}</c>) from a member.</summary>
    public virtual ValueTask<CallResult> OnCallAsync(string user, string method, string args) =>
        new(CallResult.Error("bad_request", $"This room has no method '{method}'."));

    /// <summary>Runs every <see cref="TickPeriod"/> while the room has members.</summary>
    public virtual ValueTask OnTickAsync() => ValueTask.CompletedTask;

    /// <summary>The kind's state as JSON for the room's grain state (null: none).</summary>
    internal virtual string? SaveState() => null;

    /// <summary>Restores the kind's state from the room's grain state.</summary>
    internal virtual void LoadState(string? json)
    {
    }
}
