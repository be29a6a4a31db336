using Messaging.Rooms;

namespace Messaging.Users;

/// <summary>A user's read markers, stored as grain state; activated only when they are used.</summary>
internal sealed class UserGrain(
    [PersistentState("user", StorageNames.Users)] IPersistentState<UserState> state) : Grain, IUserGrain
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
}
