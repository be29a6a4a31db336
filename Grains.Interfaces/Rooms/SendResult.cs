namespace Messaging.Rooms;

/// <summary>
/// The outcome of a send. Expected failures are values, not exceptions, so they cross
/// the wire cheaply and the front can answer with the protocol's code.
/// </summary>
/// <remarks>
/// <see cref="InAnswer"/>: the room did not push this message to the calling front, because the
/// whole commit came from that front's call; the front delivers it to its local members from this
/// answer (stored at <see cref="Ts"/>, with the body and cid it sent), which saves the room a push
/// per commit and the front a message to read, the common case of a room whose members share a front.
/// <para>
/// <see cref="LeaseRenewed"/>, on the last result of a call: the calling front is subscribed to the
/// room and the call renewed its lease, so the front may skip its next explicit renewal. False
/// tells the front the room does not know it (it lost its memory): the front renews at once.
/// </para>
/// </remarks>
[GenerateSerializer, Immutable, Alias("messaging.SendResult")]
public sealed record SendResult(
    [property: Id(0)] SendStatus Status,
    [property: Id(1)] long Seq,
    [property: Id(2)] bool Duplicate,
    [property: Id(3)] string? Code = null,
    [property: Id(4)] string? Message = null,
    [property: Id(5)] long Ts = 0,
    [property: Id(6)] bool InAnswer = false,
    [property: Id(7)] bool LeaseRenewed = false)
{
    public static readonly SendResult Unavailable = new(SendStatus.Unavailable, 0, false);

    public static SendResult Refused(SendStatus status) => new(status, 0, false);

    public static SendResult Rejected(string code, string message) => new(SendStatus.Rejected, 0, false, code, message);
}
