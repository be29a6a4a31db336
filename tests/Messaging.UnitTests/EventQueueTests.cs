using Messaging.Events;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>The room-events queue numbers batches in arrival order and refuses, whole, a call that does not fit.</summary>
public sealed class EventQueueTests
{
    private static readonly StreamId Stream = StreamId.Create("room-events", "lobby");

    [Fact]
    public void Batches_are_numbered_in_arrival_order_and_leave_oldest_first()
    {
        var queue = new EventQueue(capacity: 10, firstSequence: 500);
        Assert.True(queue.TryEnqueue([Batch("a"), Batch("b")]));
        Assert.True(queue.TryEnqueue([Batch("c")]));

        var first = queue.Dequeue(2);
        var rest = queue.Dequeue(10);

        Assert.Equal(["a", "b"], first.Select(b => (string)b.Events[0]));
        Assert.Equal([500L, 501L], first.Select(b => b.Sequence));
        Assert.Equal(502L, Assert.Single(rest).Sequence);
        Assert.Empty(queue.Dequeue(10));
    }

    [Fact]
    public void A_call_that_would_cross_the_capacity_is_refused_whole_and_changes_nothing()
    {
        var queue = new EventQueue(capacity: 3, firstSequence: 0);
        Assert.True(queue.TryEnqueue([Batch("a"), Batch("b")]));

        Assert.False(queue.TryEnqueue([Batch("c"), Batch("d")]));
        Assert.Equal(2, queue.Count);

        // What fits still goes in, numbered straight on from the last kept batch.
        Assert.True(queue.TryEnqueue([Batch("c")]));
        Assert.Equal([0L, 1L, 2L], queue.Dequeue(10).Select(b => b.Sequence));
    }

    [Fact]
    public void Each_event_of_a_batch_carries_the_batch_number_and_its_index()
    {
        var batch = new EventBatch(Stream, ["x", 7, "y"], RequestContext: null, Sequence: 42);

        var events = batch.GetEvents<string>().ToList();

        Assert.Equal(["x", "y"], events.Select(e => e.Item1));
        Assert.Equal([new EventSequenceTokenV2(42, 0), new EventSequenceTokenV2(42, 2)], events.Select(e => e.Item2));
        Assert.Equal(new EventSequenceTokenV2(42), batch.SequenceToken);
    }

    private static EventBatch Batch(string text) => new(Stream, [text], RequestContext: null);
}
