namespace Messaging.Events;

/// <summary>
/// The room-events queue's contents: batches in arrival order, each numbered as it comes, at most
/// <see cref="Capacity"/> held. A call that does not fit is refused whole, so a publisher never
/// has some of its events kept and others not. Numbers start from the clock, so a new activation
/// after a restart never reuses one a consumer already saw.
/// </summary>
internal sealed class EventQueue(int capacity, long firstSequence)
{
    private readonly Queue<EventBatch> _batches = new();
    private long _next = firstSequence;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "The queue must hold at least one batch.");

    public int Count => _batches.Count;

    /// <summary>Numbers and keeps every batch, or none when they would not all fit.</summary>
    public bool TryEnqueue(IReadOnlyList<EventBatch> batches)
    {
        if (batches.Count > Capacity - _batches.Count)
        {
            return false;
        }

        foreach (var batch in batches)
        {
            _batches.Enqueue(batch with { Sequence = _next++ });
        }

        return true;
    }

    /// <summary>Takes up to <paramref name="max"/> batches, oldest first.</summary>
    public EventBatch[] Dequeue(int max)
    {
        var count = Math.Min(max, _batches.Count);
        if (count <= 0)
        {
            return [];
        }

        var taken = new EventBatch[count];
        for (var i = 0; i < count; i++)
        {
            taken[i] = _batches.Dequeue();
        }

        return taken;
    }
}
