namespace Messaging.Delivery;

/// <summary>
/// A front's renewal for one room: its observer and a snapshot of its local members
/// (user id → number of connections). The snapshot replaces what the room knew, so a
/// room that lost its memory (silo restart) is whole again after one renewal.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.FrontLease")]
public sealed record FrontLease(
    [property: Id(0)] string FrontId,
    [property: Id(1)] IRoomObserver Observer,
    [property: Id(2)] IReadOnlyDictionary<string, int> Members);
