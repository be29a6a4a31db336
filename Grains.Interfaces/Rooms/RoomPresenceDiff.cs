namespace Messaging.Rooms;

/// <summary>Users who came online and went offline in a room since the last diff (coalesced).</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomPresenceDiff")]
public sealed record RoomPresenceDiff(
    [property: Id(0)] string Room,
    [property: Id(1)] IReadOnlyList<string> Joined,
    [property: Id(2)] IReadOnlyList<string> Left);
