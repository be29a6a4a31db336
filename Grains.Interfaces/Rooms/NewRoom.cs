namespace Messaging.Rooms;

/// <summary>
/// A private room to create. <see cref="Owner"/> is the creator for a user; a service names one
/// (or none). <see cref="Metadata"/> is a JSON object, already validated by the front.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.NewRoom")]
public sealed record NewRoom(
    [property: Id(0)] string? Title,
    [property: Id(1)] string? Metadata,
    [property: Id(2)] string? Owner,
    [property: Id(3)] IReadOnlyList<RoomMember> Members);
