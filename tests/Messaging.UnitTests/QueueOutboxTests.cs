using System.Threading.Channels;
using Messaging.Events;
using Messaging.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.Concurrency;
using Orleans.Runtime;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>A silo's publishers to one room-events queue share grain calls: one per window, one in flight.</summary>
public sealed class QueueOutboxTests
{
    // Only so that a broken outbox fails instead of hanging; no step here waits on real time.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Events_wait_for_the_window_and_leave_in_one_call()
    {
        var (time, queue, outbox) = Create();

        var a = outbox.Add(Batch("a"));
        var b = outbox.Add(Batch("b"));
        time.Advance(QueueOutbox.Window - TimeSpan.FromMilliseconds(1));
        Assert.False(queue.Calls.Reader.TryRead(out _));

        time.Advance(TimeSpan.FromMilliseconds(1));
        var call = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["a", "b"], call.Texts);
        Assert.False(a.IsCompleted || b.IsCompleted);

        call.Answer.SetResult();
        await Task.WhenAll(a, b).WaitAsync(Patience);
    }

    [Fact]
    public async Task What_comes_while_a_call_is_in_flight_leaves_a_window_after_it()
    {
        var (time, queue, outbox) = Create();
        var first = outbox.Add(Batch("a"));
        time.Advance(QueueOutbox.Window);
        var call1 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        var second = outbox.Add(Batch("b"));
        var third = outbox.Add(Batch("c"));
        time.Advance(QueueOutbox.Window);
        Assert.False(queue.Calls.Reader.TryRead(out _));

        call1.Answer.SetResult();
        await first.WaitAsync(Patience);
        Assert.False(second.IsCompleted);
        time.Advance(QueueOutbox.Window);
        var call2 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b", "c"], call2.Texts);

        call2.Answer.SetResult();
        await Task.WhenAll(second, third).WaitAsync(Patience);
    }

    [Fact]
    public async Task A_refused_call_fails_its_own_publishers_and_the_next_call_still_goes()
    {
        var (time, queue, outbox) = Create();
        var refused = outbox.Add(Batch("a"));
        time.Advance(QueueOutbox.Window);
        var call1 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        call1.Answer.SetException(new InvalidOperationException("full"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => refused.WaitAsync(Patience));

        var later = outbox.Add(Batch("b"));
        time.Advance(QueueOutbox.Window);
        var call2 = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b"], call2.Texts);
        call2.Answer.SetResult();
        await later.WaitAsync(Patience);
    }

    [Fact]
    public async Task Past_the_waiting_limit_a_publish_fails_at_once_and_the_waiting_events_still_go()
    {
        var (time, queue, outbox) = Create(maxWaiting: 2);
        var first = outbox.Add(Batch("a"));
        time.Advance(QueueOutbox.Window);
        var hanging = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);

        // The call hangs: two may wait behind it, the third is refused without waiting.
        var b = outbox.Add(Batch("b"));
        var c = outbox.Add(Batch("c"));
        var refused = outbox.Add(Batch("d"));
        Assert.True(refused.IsFaulted);
        Assert.IsType<InvalidOperationException>(refused.Exception!.InnerException);

        hanging.Answer.SetResult();
        await first.WaitAsync(Patience);
        time.Advance(QueueOutbox.Window);
        var next = await queue.Calls.Reader.ReadAsync().AsTask().WaitAsync(Patience);
        Assert.Equal(["b", "c"], next.Texts);
        next.Answer.SetResult();
        await Task.WhenAll(b, c).WaitAsync(Patience);
    }

    private static (FakeTimeProvider Time, HeldQueue Queue, QueueOutbox Outbox) Create(int maxWaiting = RoomEventStreamOptions.DefaultQueueCapacity)
    {
        var time = new FakeTimeProvider();
        var queue = new HeldQueue();
        return (time, queue, new QueueOutbox(queue, time, maxWaiting));
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
