using System.Diagnostics;
using System.Threading.Channels;
using Messaging.Rooms;
using Messaging.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Storage;

/// <summary>
/// Shares transactions between rooms on this silo. Each room already gathers its own sends into
/// one commit; when many quiet rooms each commit a message or two at once, those commits are
/// joined into one transaction, so the database flushes its log once for all of them. A room has
/// at most one commit in flight, so joining never reorders a room's messages. When a joined
/// transaction hits a taken seq (a duplicate activation elsewhere), nothing of it was stored and
/// its rooms commit one by one, so only the room that conflicted sees the conflict. With one
/// writer (the default) the transactions grow with the load by themselves: whatever queued while
/// the last one was at the database goes in the next. With <see cref="RoomOptions.CommitWindow"/>
/// (10 ms by default), under load a writer also waits up to that long before it takes the queue
/// (<see cref="Messaging.Storage.CommitWindow"/>), one writer at a time, so the transactions
/// grow with the load instead of multiplying with it.
/// </summary>
internal sealed partial class CommitBatcher
{
    // Rows per joined transaction: far below any database's parameter limit.
    internal const int MaxRows = 1024;

    private readonly IMessageStore _store;
    private readonly ILogger<CommitBatcher> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly Lock _gate = new();
    private Pending? _carried;

    // The load-sized wait: one writer gathers at a time, and stops early once the queued rows
    // reach _windowRows (a busy room's large batch leaves at once).
    private readonly CommitWindow _window;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gathering = new(1, 1);
    private readonly int _windowRows;
    private int _queuedRows;
    private TaskCompletionSource? _filled;

    public CommitBatcher(IMessageStore store, IOptions<RoomOptions> options, TimeProvider time, ILogger<CommitBatcher> logger)
    {
        _store = store;
        _logger = logger;
        _time = time;
        _window = new CommitWindow(options.Value.GroupCommit ? options.Value.CommitWindow : TimeSpan.Zero, time);
        _windowRows = options.Value.CommitWindowRows;

        // Each writer keeps one transaction in flight: while it waits for the log flush, what
        // arrives queues for the next free writer and joins its transaction.
        for (var i = 0; i < options.Value.CommitWriters; i++)
        {
            _ = Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>Commits one room's batch, alone or in a transaction shared with other rooms.</summary>
    public Task<CommitOutcome> CommitAsync(RoomCommit commit)
    {
        var pending = new Pending(commit, _time.GetTimestamp());
        _window.Observe(commit.Room);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The commit queue is closed.");
        }

        if (Interlocked.Add(ref _queuedRows, commit.Batch.Count) >= _windowRows)
        {
            Volatile.Read(ref _filled)?.TrySetResult();
        }

        return pending.Completion.Task;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var taken = await GatherAsync(reader).ConfigureAwait(false);
            if (taken.Count == 0)
            {
                continue;
            }

            // One span per transaction, under the first room's send, linked to the others'.
            using var span = StartSpan(taken);

            if (taken.Count == 1)
            {
                await CommitAloneAsync(taken[0]).ConfigureAwait(false);
                continue;
            }

            try
            {
                var outcomes = await _store.CommitManyAsync(taken.ConvertAll(p => p.Commit), CancellationToken.None).ConfigureAwait(false);
                for (var i = 0; i < taken.Count; i++)
                {
                    taken[i].Completion.TrySetResult(outcomes[i]);
                }
            }
            catch (Exception ex) when (_store.IsConflict(ex))
            {
                LogSharedConflict(taken.Count);
                foreach (var pending in taken)
                {
                    await CommitAloneAsync(pending).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in taken)
                {
                    pending.Completion.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>
    /// Under load, waits until the oldest queued commit has waited the window (or enough rows are
    /// queued) before it takes the queue; otherwise takes it at once. Counting from the oldest
    /// commit, not from when a writer came free, bounds what the window adds to any ack even when
    /// every writer was busy at the database meanwhile. One writer gathers at a time: the next
    /// one's window is already running while this one's transaction is at the database.
    /// </summary>
    private async Task<List<Pending>> GatherAsync(ChannelReader<Pending> reader)
    {
        var hold = _window.Hold;
        if (hold <= TimeSpan.Zero)
        {
            return Take(reader);
        }

        await _gathering.WaitAsync().ConfigureAwait(false);
        try
        {
            var remaining = Remaining(reader, hold);
            if (remaining > TimeSpan.Zero && Volatile.Read(ref _queuedRows) < _windowRows)
            {
                var filled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // A full fence (not a volatile write, which a later read may pass): either the
                // producer that crosses the row count sees this signal, or the check below sees its rows.
                Interlocked.Exchange(ref _filled, filled);

                // Rows queued between the check and the publication found no one to tell.
                if (Volatile.Read(ref _queuedRows) < _windowRows)
                {
                    using var stop = new CancellationTokenSource();
                    await Task.WhenAny(filled.Task, Task.Delay(remaining, _time, stop.Token)).ConfigureAwait(false);
                    await stop.CancelAsync().ConfigureAwait(false);
                }

                Volatile.Write(ref _filled, null);
            }

            return Take(reader);
        }
        finally
        {
            _gathering.Release();
        }
    }

    /// <summary>What is left of the window of the oldest commit waiting (the carried one, or the queue's first).</summary>
    private TimeSpan Remaining(ChannelReader<Pending> reader, TimeSpan hold)
    {
        Pending? oldest;
        lock (_gate)
        {
            oldest = _carried;
        }

        if (oldest is null && !reader.TryPeek(out oldest))
        {
            // The writer before took everything: this window runs from now, so the next arrival waits less than it.
            return hold;
        }

        return hold - _time.GetElapsedTime(oldest.QueuedAt);
    }

    /// <summary>Takes queued commits up to the row limit; one that would pass it waits for the next transaction.</summary>
    private List<Pending> Take(ChannelReader<Pending> reader)
    {
        var taken = new List<Pending>();
        var rows = 0;
        lock (_gate)
        {
            if (_carried is { } carried)
            {
                _carried = null;
                taken.Add(carried);
                rows += carried.Commit.Batch.Count;
            }

            while (rows < MaxRows && reader.TryRead(out var next))
            {
                if (taken.Count > 0 && rows + next.Commit.Batch.Count > MaxRows)
                {
                    _carried = next;
                    break;
                }

                taken.Add(next);
                rows += next.Commit.Batch.Count;
            }
        }

        Interlocked.Add(ref _queuedRows, -rows);
        return taken;
    }

    private static Activity? StartSpan(List<Pending> taken)
    {
        if (!MessagingTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = taken.Count > 1 ? taken.Skip(1).Where(p => p.Parent != default).Select(p => new ActivityLink(p.Parent)) : null;
        var span = MessagingTelemetry.Source.StartActivity("messaging.commit", ActivityKind.Internal, taken[0].Parent, links: links);
        span?.SetTag("messaging.rooms", taken.Count);
        span?.SetTag("messaging.messages", taken.Sum(p => p.Commit.Batch.Count));
        return span;
    }

    private async Task CommitAloneAsync(Pending pending)
    {
        try
        {
            var commit = pending.Commit;
            pending.Completion.TrySetResult(await _store.CommitAsync(commit.Room, commit.LastSeq, commit.Batch, commit.Timestamp, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A transaction shared by {Rooms} rooms hit a taken seq; committing them one by one.")]
    private partial void LogSharedConflict(int rooms);

    private sealed class Pending(RoomCommit commit, long queuedAt)
    {
        public RoomCommit Commit { get; } = commit;

        // When it was queued (TimeProvider timestamp): the window runs from the oldest commit's arrival.
        public long QueuedAt { get; } = queuedAt;

        // The sender's span, so the commit that a background writer makes joins its trace.
        public ActivityContext Parent { get; } = Activity.Current?.Context ?? default;

        // Awaited only by a room grain, whose continuation is queued to its activation's scheduler
        // either way; asynchronous continuations would add a thread-pool hop before that.
        public TaskCompletionSource<CommitOutcome> Completion { get; } = new();
    }
}
