using System.Text.Json;

namespace Messaging.Rooms.Kinds;

/// <summary>
/// A room kind with state of its own: <see cref="State"/> is kept with the room's grain state, so
/// it survives restarts and moves between silos. Change it in a hook, then call
/// <see cref="IRoomKindContext.SaveStateAsync"/> before announcing the change.
/// </summary>
/// <typeparam name="TState">A class System.Text.Json can write and read.</typeparam>
public abstract class RoomKind<TState> : RoomKind
    where TState : class, new()
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public TState State { get; private set; } = new();

    internal override string? SaveState() => JsonSerializer.Serialize(State, Json);

    internal override void LoadState(string? json) =>
        State = json is null ? new TState() : JsonSerializer.Deserialize<TState>(json, Json) ?? new TState();
}
