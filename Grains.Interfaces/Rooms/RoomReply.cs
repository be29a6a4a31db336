namespace Messaging.Rooms;

/// <summary>An administration answer: a status, the value when it is <see cref="RoomStatus.Ok"/>, and a sentence for a person otherwise.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomReply`1")]
public sealed record RoomReply<T>(
    [property: Id(0)] RoomStatus Status,
    [property: Id(1)] T? Value,
    [property: Id(2)] string? Message)
{
    public static RoomReply<T> Ok(T value) => new(RoomStatus.Ok, value, null);

    public static RoomReply<T> Fail(RoomStatus status, string message) => new(status, default, message);
}
