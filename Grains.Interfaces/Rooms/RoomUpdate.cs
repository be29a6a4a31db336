namespace Messaging.Rooms;

/// <summary>Changes to a room's settings; a null field stays as it is.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomUpdate")]
public sealed record RoomUpdate([property: Id(0)] string? Title, [property: Id(1)] string? Metadata);
