namespace Messaging.Users;

/// <summary>A user's durable state (grain state): read markers per room, and the rooms it is a member of.</summary>
[GenerateSerializer, Alias("messaging.UserState")]
public sealed class UserState
{
    [Id(0)]
    public Dictionary<string, long> ReadMarkers { get; set; } = new(StringComparer.Ordinal);

    [Id(1)]
    public HashSet<string> Rooms { get; set; } = new(StringComparer.Ordinal);
}
