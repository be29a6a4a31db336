using System.Threading.Channels;
using Messaging.Events;
using Orleans.Concurrency;
using Orleans.Runtime;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>A silo's publishers to one room-events queue share grain calls: one in flight, the rest wait for the next.</summary>
public sealed class QueueOutboxTests
{
    // Only so that a broken outbox fails instead of hanging; no step here waits on real time.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Events_published_while_a_call_is_in_flight_leave_together_in_the_next_call()
    {
        var queue = new HeldQueue();
        var outbox = new QueueOutbox(queue);

        var first = outbox.Add(Batch("a"));
        var call1 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        var second = outbox.Add(Batch("b"));
        var third = outbox.Add(Batch("c"));

        Assert.Equal(["a"], call1.Texts);
        Assert.False(first.IsCompleted || second.IsCompleted || third.IsCompleted);

        call1.Answer.SetResult();
        await first.WaitAsync(Patience);
        var call2 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b", "c"], call2.Texts);
        Assert.False(second.IsCompleted || third.IsCompleted);

        call2.Answer.SetResult();
        await Task.WhenAll(second, third).WaitAsync(Patience);
        Assert.False(queue.Calls.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_refused_call_fails_its_own_publishers_and_the_next_call_still_goes()
    {
        var queue = new HeldQueue();
        var outbox = new QueueOutbox(queue);

        var refused = outbox.Add(Batch("a"));
        var call1 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        call1.Answer.SetException(new InvalidOperationException("full"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => refused.WaitAsync(Patience));

        var later = outbox.Add(Batch("b"));
        var call2 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b"], call2.Texts);
        call2.Answer.SetResult();
        await later.WaitAsync(Patience);
    }

    private static EventBatch Batch(string text) => new(StreamId.Create("room-events", text), [text], RequestContext: null);

    private sealed record Call(string[] Texts, TaskCompletionSource Answer);

    /// <summary>A queue grain whose every call waits for the test to answer it.</summary>
    private sealed class HeldQueue : IEventQueueGrain
    {
        public Channel<Call> Calls { get; } = Channel.CreateUnbounded<Call>();

        public Task EnqueueAsync(Immutable<EventBatch[]> batches)
        {
            var call = new Call([.. batches.Value.Select(b => (string)b.Events[0])], new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            Calls.Writer.TryWrite(call);
            return call.Answer.Task;
        }

        public Task<Immutable<EventBatch[]>> DequeueAsync(int max) => throw new NotSupportedException();
    }
}
