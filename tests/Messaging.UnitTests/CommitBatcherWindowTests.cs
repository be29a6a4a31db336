using System.Threading.Channels;
using Messaging.Rooms;
using Messaging.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>The batcher under load holds each transaction open for the commit window, one writer at a time.</summary>
public sealed class CommitBatcherWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(10);

    // Only so that a broken batcher fails instead of hanging; no step here waits on real time.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Under_load_commits_wait_for_the_window_and_share_one_transaction()
    {
        var (time, store, batcher) = Create(windowRows: 64);
        await LoadAsync(time, store, batcher);
        await AssertTwoCommitsWaitAndShareAsync(time, store, batcher, Window);
    }

    [Fact]
    public async Task With_nothing_configured_a_chat_load_waits_10_ms_for_company()
    {
        // The defaults as a deployment gets them: the window chat's CPU figures were measured with.
        var (time, store, batcher) = Create(new RoomOptions());
        await LoadAsync(time, store, batcher);
        await AssertTwoCommitsWaitAndShareAsync(time, store, batcher, TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public async Task Enough_queued_rows_end_the_wait_without_the_window()
    {
        var (time, store, batcher) = Create(windowRows: 3);
        await LoadAsync(time, store, batcher);

        var a = batcher.CommitAsync(Commit("a"));
        var b = batcher.CommitAsync(Commit("b"));
        Assert.Equal(Window, await time.Timers.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        var c = batcher.CommitAsync(Commit("c"));

        // The clock never moves: the third row alone releases the transaction.
        Assert.Equal(["a", "b", "c"], await store.Transactions.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        await Task.WhenAll(a, b, c);
    }

    [Fact]
    public async Task A_lone_busy_room_never_waits()
    {
        var (time, store, batcher) = Create(windowRows: 64);

        // One room committing 2,000 times a second: no other room could share its transactions.
        for (var i = 0; i < 500; i++)
        {
            await batcher.CommitAsync(Commit("hot")).WaitAsync(Patience);
        }

        while (store.Transactions.Reader.TryRead(out _))
        {
        }

        time.Advance(CommitWindow.Period);
        await batcher.CommitAsync(Commit("hot")).WaitAsync(Patience);
        Assert.Equal(["hot"], await store.Transactions.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        Assert.False(time.Timers.Reader.TryRead(out _));
    }

    private static (SignallingTime Time, RecordingStore Store, CommitBatcher Batcher) Create(int windowRows) =>
        Create(new RoomOptions { CommitWriters = 2, CommitWindow = Window, CommitWindowRows = windowRows });

    private static (SignallingTime Time, RecordingStore Store, CommitBatcher Batcher) Create(RoomOptions options)
    {
        var time = new SignallingTime();
        var store = new RecordingStore();
        return (time, store, new CommitBatcher(store, Options.Create(options), time, NullLogger<CommitBatcher>.Instance));
    }

    /// <summary>Two commits after the load: a writer waits out <paramref name="window"/> with nothing stored and no ack, then stores both in one transaction.</summary>
    private static async Task AssertTwoCommitsWaitAndShareAsync(SignallingTime time, RecordingStore store, CommitBatcher batcher, TimeSpan window)
    {
        var a = batcher.CommitAsync(Commit("a"));
        var b = batcher.CommitAsync(Commit("b"));

        Assert.Equal(window, await time.Timers.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        Assert.False(store.Transactions.Reader.TryRead(out _));
        Assert.False(a.IsCompleted || b.IsCompleted);

        time.Advance(window);
        Assert.Equal(["a", "b"], await store.Transactions.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        await Task.WhenAll(a, b);
    }

    /// <summary>One period of 400 rooms committing (1,600 commits/s), stored before the window turns on.</summary>
    private static async Task LoadAsync(SignallingTime time, RecordingStore store, CommitBatcher batcher)
    {
        var commits = Enumerable.Range(0, 400).Select(i => batcher.CommitAsync(Commit($"room-{i}"))).ToList();
        await Task.WhenAll(commits);
        while (store.Transactions.Reader.TryRead(out _))
        {
        }

        time.Advance(CommitWindow.Period);
    }

    private static RoomCommit Commit(string room) => new(room, 0, [new SendRequest("u", "1", null)], 0);

    /// <summary>A fake clock that tells the test each timer it is asked for, so the test advances only past a registered wait.</summary>
    private sealed class SignallingTime : FakeTimeProvider
    {
        public Channel<TimeSpan> Timers { get; } = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Timers.Writer.TryWrite(dueTime);
            return timer;
        }
    }

    /// <summary>A store that commits at once and records each transaction's rooms.</summary>
    private sealed class RecordingStore : CommitOnlyStore
    {
        public Channel<string[]> Transactions { get; } = Channel.CreateUnbounded<string[]>();

        public override Task<CommitOutcome> CommitAsync(string room, long lastSeq, IReadOnlyList<SendRequest> batch, long timestamp, CancellationToken cancellationToken)
        {
            Transactions.Writer.TryWrite([room]);
            return Task.FromResult(Outcome(lastSeq, batch));
        }

        public override Task<CommitOutcome[]> CommitManyAsync(IReadOnlyList<RoomCommit> commits, CancellationToken cancellationToken)
        {
            Transactions.Writer.TryWrite([.. commits.Select(c => c.Room)]);
            return Task.FromResult(commits.Select(c => Outcome(c.LastSeq, c.Batch)).ToArray());
        }

        private static CommitOutcome Outcome(long lastSeq, IReadOnlyList<SendRequest> batch) =>
            new(lastSeq + batch.Count, [.. Enumerable.Range(1, batch.Count).Select(i => lastSeq + i)], new bool[batch.Count], []);
    }
}
