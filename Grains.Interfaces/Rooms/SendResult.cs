namespace Messaging.Rooms;

/// <summary>
/// The outcome of a send. Expected failures are values, not exceptions, so they cross
/// the wire cheaply and the front can answer with the protocol's code.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.SendResult")]
public sealed record SendResult(
    [property: Id(0)] SendStatus Status,
    [property: Id(1)] long Seq,
    [property: Id(2)] bool Duplicate,
    [property: Id(3)] string? Code = null,
    [property: Id(4)] string? Message = null)
{
    public static readonly SendResult Unavailable = new(SendStatus.Unavailable, 0, false);

    public static SendResult Refused(SendStatus status) => new(status, 0, false);

    public static SendResult Rejected(string code, string message) => new(SendStatus.Rejected, 0, false, code, message);
}
