using Messaging.Rooms;
using Messaging.Storage;
using Microsoft.Extensions.Options;

namespace Messaging.Users;

/// <summary>A user's read markers and room memberships, stored as grain state; activated only when they are used.</summary>
internal sealed class UserGrain(
    [PersistentState("user", StorageNames.Users)] IPersistentState<UserState> state,
    IRoomRecords records,
    IOptions<UserOptions> options) : Grain, IUserGrain
{
    public async Task MarkReadAsync(string room, long seq)
    {
        var markers = state.State.ReadMarkers;
        if (markers.TryGetValue(room, out var current) && current >= seq)
        {
            return;
        }

        markers[room] = seq;
        await state.WriteStateAsync().ConfigureAwait(true);
    }

    public Task<IReadOnlyDictionary<string, long>> GetReadMarkersAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(new Dictionary<string, long>(state.State.ReadMarkers, StringComparer.Ordinal));

    public async Task<bool> AddRoomAsync(string room)
    {
        var rooms = state.State.Rooms;
        if (rooms.Contains(room))
        {
            return true;
        }

        if (rooms.Count >= options.Value.MaxRooms)
        {
            return false;
        }

        rooms.Add(room);
        try
        {
            await state.WriteStateAsync().ConfigureAwait(true);
        }
        catch
        {
            rooms.Remove(room);
            throw;
        }

        return true;
    }

    public async Task RemoveRoomAsync(string room)
    {
        if (state.State.Rooms.Remove(room))
        {
            try
            {
                await state.WriteStateAsync().ConfigureAwait(true);
            }
            catch
            {
                state.State.Rooms.Add(room);
                throw;
            }
        }
    }

    public async Task<IReadOnlyList<UnreadCount>> GetUnreadAsync()
    {
        var memberOf = state.State.Rooms;
        var markers = state.State.ReadMarkers;
        var rooms = new HashSet<string>(memberOf, StringComparer.Ordinal);
        rooms.UnionWith(markers.Keys);
        if (rooms.Count == 0)
        {
            return [];
        }

        var latest = await records.GetLatestAsync(rooms, CancellationToken.None).ConfigureAwait(true);
        var counts = new List<UnreadCount>(latest.Count);
        foreach (var room in latest)
        {
            // A read marker on a private room says nothing about it to someone who is not a member.
            if (room.Private && !memberOf.Contains(room.Room))
            {
                continue;
            }

            var read = markers.GetValueOrDefault(room.Room);
            counts.Add(new UnreadCount(room.Room, Math.Max(0, room.LastSeq - read), room.LastSeq, read));
        }

        counts.Sort(static (a, b) => string.CompareOrdinal(a.Room, b.Room));
        return counts;
    }
}
