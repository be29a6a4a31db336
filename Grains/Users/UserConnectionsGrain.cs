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
internal sealed partial class UserConnectionsGrain(
    IOptions<RoomOptions> options,
    TimeProvider time,
    ILogger<UserConnectionsGrain> logger) : Grain, IUserConnectionsGrain
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying front {FrontId} of a direct message failed.")]
    private partial void LogNotifyFailed(Exception exception, string frontId);
}
