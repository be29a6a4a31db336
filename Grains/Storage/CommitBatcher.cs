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
/// its rooms commit one by one, so only the room that conflicted sees the conflict.
/// </summary>
internal sealed partial class CommitBatcher
{
    // Rows per joined transaction: far below any database's parameter limit.
    private const int MaxRows = 1024;

    private readonly IMessageStore _store;
    private readonly ILogger<CommitBatcher> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly Lock _gate = new();
    private Pending? _carried;

    public CommitBatcher(IMessageStore store, IOptions<RoomOptions> options, ILogger<CommitBatcher> logger)
    {
        _store = store;
        _logger = logger;

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
        var pending = new Pending(commit);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The commit queue is closed.");
        }

        return pending.Completion.Task;
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var taken = Take(reader);
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

    private sealed class Pending(RoomCommit commit)
    {
        public RoomCommit Commit { get; } = commit;

        // The sender's span, so the commit that a background writer makes joins its trace.
        public ActivityContext Parent { get; } = Activity.Current?.Context ?? default;

        // Awaited only by a room grain, whose continuation is queued to its activation's scheduler
        // either way; asynchronous continuations would add a thread-pool hop before that.
        public TaskCompletionSource<CommitOutcome> Completion { get; } = new();
    }
}
