namespace Messaging.Rooms;

/// <summary>What a room says about itself to those who may see it.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomInfo")]
public sealed record RoomInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] bool Private,
    [property: Id(2)] string? Title,
    [property: Id(3)] string? Metadata,
    [property: Id(4)] DateTimeOffset? CreatedAt,
    [property: Id(5)] int Members,
    [property: Id(6)] long LastSeq,
    [property: Id(7)] RoomRole? Role);
