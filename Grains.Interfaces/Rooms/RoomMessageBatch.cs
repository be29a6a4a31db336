namespace Messaging.Rooms;

/// <summary>Messages of one room in ascending seq order, without gaps between them.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomMessageBatch")]
public sealed record RoomMessageBatch(
    [property: Id(0)] string Room,
    [property: Id(1)] IReadOnlyList<StoredMessage> Messages);
