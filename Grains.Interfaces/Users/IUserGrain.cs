namespace Messaging.Users;

/// <summary>
/// A user's durable state: read markers and the rooms it is a member of. Live connections are
/// tracked by <see cref="IUserConnectionsGrain"/>, which needs no storage, so connecting never
/// reads the database.
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

    /// <summary>The user became a member of <paramref name="room"/>; false (and nothing recorded) when that would pass the rooms-per-user limit.</summary>
    [Alias("AddRoomAsync")]
    Task<bool> AddRoomAsync(string room);

    /// <summary>The user is no longer a member of <paramref name="room"/>.</summary>
    [Alias("RemoveRoomAsync")]
    Task RemoveRoomAsync(string room);

    /// <summary>Per room the user belongs to or has read: messages after the read marker. One database query, no history scan.</summary>
    [Alias("GetUnreadAsync")]
    Task<IReadOnlyList<UnreadCount>> GetUnreadAsync();
}
