namespace Messaging.Rooms;

/// <summary>
/// Who the room admits: private rooms only their members, nobody a deleted room, and no banned or
/// (for sends) muted user. The room decides, so every front and the HTTP API see one answer, and a
/// change takes effect on the next call without any front caching it.
/// </summary>
internal sealed partial class RoomGrain
{
    private RoomAccess AccessFor(string user)
    {
        var state = _state.State;
        if (!state.HasRules)
        {
            return RoomAccess.Allowed;
        }

        if (state.Deleted || (state.Private && !state.Members.ContainsKey(user)))
        {
            return RoomAccess.NotFound;
        }

        return state.Bans.Contains(user) ? RoomAccess.Banned : RoomAccess.Allowed;
    }

    private SendStatus CheckSender(string user) => AccessFor(user) switch
    {
        RoomAccess.NotFound => SendStatus.NotFound,
        RoomAccess.Banned => SendStatus.Banned,
        _ => _state.State.Mutes.Contains(user) ? SendStatus.Muted : SendStatus.Stored,
    };

    /// <summary>The users of a lease the room no longer admits, with the reason their removal notice gives; null when it admits them all.</summary>
    private Dictionary<string, string>? FindRefused(IReadOnlyDictionary<string, int> members)
    {
        if (!_state.State.HasRules)
        {
            return null;
        }

        Dictionary<string, string>? refused = null;
        foreach (var user in members.Keys)
        {
            var access = AccessFor(user);
            if (access != RoomAccess.Allowed)
            {
                var reason = access == RoomAccess.Banned ? "banned" : _state.State.Deleted ? "deleted" : "removed";
                (refused ??= new Dictionary<string, string>(StringComparer.Ordinal))[user] = reason;
            }
        }

        return refused;
    }

    /// <summary>
    /// Takes every connection of <paramref name="user"/> out of the room now, on every front, and
    /// tells the fronts why; the next renewal repeats it for a front that missed the notice.
    /// </summary>
    private void Evict(string user, string reason)
    {
        // Every front hears it, before the ones left without members are dropped.
        Broadcast(static (observer, removal) => observer.OnRemovedAsync(removal.Room, removal.User, removal.Reason), (Room, User: user, Reason: reason));

        List<string>? empty = null;
        foreach (var (frontId, front) in _fronts)
        {
            if (front.Members.Remove(user, out var count))
            {
                AdjustOnline(user, -count);
                if (front.Members.Count == 0)
                {
                    (empty ??= []).Add(frontId);
                }
            }
        }

        foreach (var frontId in empty ?? [])
        {
            _fronts.Remove(frontId);
        }
    }
}
