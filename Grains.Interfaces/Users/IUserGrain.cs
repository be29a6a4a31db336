using Messaging.Delivery;
using Orleans.Concurrency;

namespace Messaging.Users;

/// <summary>
/// A user: the fronts that hold its live connections (leased like room subscriptions), the way
/// direct messages reach every device, and its read markers.
/// </summary>
[Alias("messaging.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
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

    /// <summary>Records that the user has read <paramref name="room"/> up to <paramref name="seq"/>; never moves back.</summary>
    [Alias("MarkReadAsync")]
    Task MarkReadAsync(string room, long seq);

    /// <summary>Room → the last seq the user has read.</summary>
    [Alias("GetReadMarkersAsync")]
    Task<IReadOnlyDictionary<string, long>> GetReadMarkersAsync();
}
