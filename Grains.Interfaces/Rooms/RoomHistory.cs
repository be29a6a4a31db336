namespace Messaging.Rooms;

/// <summary>A page of history, or the reason the reader may not have it (then empty).</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomHistory")]
public sealed record RoomHistory([property: Id(0)] RoomAccess Access, [property: Id(1)] IReadOnlyList<StoredMessage> Messages);
