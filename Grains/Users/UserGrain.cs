using Messaging.Delivery;
using Messaging.Rooms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Messaging.Users;

/// <summary>
/// Tracks the fronts holding a user's connections so a direct message reaches every device.
/// Fronts renew their entry like a room lease; an entry not renewed in time is dropped.
/// </summary>
[Reentrant]
internal sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Users)] IPersistentState<UserState> state,
    IOptions<RoomOptions> options,
    TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private readonly Dictionary<string, (IRoomObserver Observer, int Connections, DateTimeOffset Expiry)> _fronts = new(StringComparer.Ordinal);

    public Task SetConnectionsAsync(string frontId, IRoomObserver observer, int connections)
    {
        if (connections <= 0)
        {
            _fronts.Remove(frontId);
        }
        else
        {
            _fronts[frontId] = (observer, connections, time.GetUtcNow() + options.Value.FrontLease);
        }

        return Task.CompletedTask;
    }

    public Task NotifyDirectAsync(string room, long firstSeq)
    {
        var now = time.GetUtcNow();
        foreach (var (frontId, front) in _fronts.ToList())
        {
            if (front.Expiry < now)
            {
                _fronts.Remove(frontId);
                continue;
            }

            try
            {
                _ = front.Observer.OnDirectAsync(this.GetPrimaryKeyString(), room, firstSeq);
            }
            catch (Exception ex)
            {
                LogNotifyFailed(ex, frontId);
            }
        }

        return Task.CompletedTask;
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying front {FrontId} of a direct message failed.")]
    private partial void LogNotifyFailed(Exception exception, string frontId);
}
