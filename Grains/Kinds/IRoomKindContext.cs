namespace Messaging.Rooms.Kinds;

/// <summary>What a room kind may do with its room.</summary>
public interface IRoomKindContext
{
    /// <summary>The room's name (its prefix tells the kind).</summary>
    string Name { get; }

    /// <summary>The users online in the room now.</summary>
    IReadOnlyCollection<string> Online { get; }

    TimeProvider Time { get; }

    /// <summary>Sends <paramref name="body"/> (JSON) to every member as a signal from <c>room</c>: not stored, no seq.</summary>
    void Broadcast(string body);

    /// <summary>Stores <paramref name="body"/> (JSON) as a message from <paramref name="from"/> and delivers it like any other; answers its seq.</summary>
    Task<long> PublishAsync(string body, string from = "room");

    /// <summary>Writes the kind's state with the room's grain state; call it before announcing a change.</summary>
    Task SaveStateAsync();
}
