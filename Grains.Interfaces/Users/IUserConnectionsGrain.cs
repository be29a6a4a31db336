using Messaging.Delivery;
using Orleans.Concurrency;

namespace Messaging.Users;

/// <summary>
/// The fronts that hold a user's live connections (leased like room subscriptions), so a direct
/// message reaches every device. Soft state only: fronts renew it, nothing is stored.
/// </summary>
[Alias("messaging.IUserConnectionsGrain")]
public interface IUserConnectionsGrain : IGrainWithStringKey
{
    /// <summary>
    /// The front holds <paramref name="connections"/> connections of this user (0: none any more).
    /// Sent when the count changes and on every lease renewal.
    /// </summary>
    [Alias("SetConnectionsAsync")]
    Task SetConnectionsAsync(string frontId, IRoomObserver observer, int connections);

    /// <summary>A direct room of this user committed messages from <paramref name="firstSeq"/> on.</summary>
    [OneWay, Alias("NotifyDirectAsync")]
    Task NotifyDirectAsync(string room, long firstSeq);
}
