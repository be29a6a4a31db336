using Messaging.Rooms;

namespace Messaging.Events;

/// <summary>
/// Something that happened in a room, published on the room's stream (namespace
/// <see cref="RoomEvents.Namespace"/>, key: the room name) for services inside or beside the
/// cluster. Publishing never delays or fails the message path; a consumer that needs every
/// message reads gaps from history by seq.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomEvent")]
public sealed record RoomEvent(
    [property: Id(0)] string Room,
    [property: Id(1)] RoomEventKind Kind,
    [property: Id(2)] long At,
    [property: Id(3)] string? User = null,
    [property: Id(4)] IReadOnlyList<StoredMessage>? Messages = null,
    [property: Id(5)] ModerationRecord? Moderation = null);
