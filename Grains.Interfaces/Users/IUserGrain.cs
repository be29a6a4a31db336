namespace Messaging.Users;

/// <summary>
/// A user's durable state: its read markers. Live connections are tracked by
/// <see cref="IUserConnectionsGrain"/>, which needs no storage, so connecting never reads the database.
/// </summary>
[Alias("messaging.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Records that the user has read <paramref name="room"/> up to <paramref name="seq"/>; never moves back.</summary>
    [Alias("MarkReadAsync")]
    Task MarkReadAsync(string room, long seq);

    /// <summary>Room → the last seq the user has read.</summary>
    [Alias("GetReadMarkersAsync")]
    Task<IReadOnlyDictionary<string, long>> GetReadMarkersAsync();
}
