namespace Messaging.Rooms;

/// <summary>The answer to a custom command: a JSON value, or an error with the protocol's code and a sentence.</summary>
[GenerateSerializer, Immutable, Alias("messaging.RoomCallResult")]
public sealed record RoomCallResult(
    [property: Id(0)] string? Value,
    [property: Id(1)] string? Code,
    [property: Id(2)] string? Message)
{
    public static RoomCallResult Error(string code, string message) => new(null, code, message);
}
