using System.Threading.Channels;
using Messaging.Rooms;
using Messaging.WebFront.Connections;
using Messaging.WebFront.Protocol;
using Microsoft.Extensions.Logging;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// The one ordered path of a room on this front. Live pushes, heartbeats, renewals, joins and
/// leaves all pass through one queue and one consumer, so every local member sees the room's
/// messages in seq order, once, without gaps: a push that skips ahead first fetches the range.
/// </summary>
internal sealed partial class RoomFeed
{
    private readonly FrontDelivery _front;
    private readonly IRoomGrain _grain;
    private readonly int _gapFetchBatch;
    private readonly ILogger _logger;
    private readonly Channel<FeedWork> _queue = Channel.CreateUnbounded<FeedWork>(new UnboundedChannelOptions { SingleReader = true });

    // Member → the seq it joined at; it receives only messages after that.
    private readonly Dictionary<ClientConnection, long> _members = [];
    private long _lastDelivered = -1;

    public RoomFeed(string room, FrontDelivery front, IRoomGrain grain, int gapFetchBatch, ILogger logger)
    {
        Room = room;
        _front = front;
        _grain = grain;
        _gapFetchBatch = gapFetchBatch;
        _logger = logger;
        _ = Task.Run(RunAsync);
    }

    public string Room { get; }

    /// <summary>Work queued but not yet taken; read under the front's lock to decide if the feed may close.</summary>
    public int Pending => _queue.Reader.Count;

    public int MemberCount => _members.Count;

    public bool Post(FeedWork work) => _queue.Writer.TryWrite(work);

    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await ProcessAsync(work).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogWorkFailed(ex, Room, work.GetType().Name);
                switch (work)
                {
                    case FeedWork.Join join:
                        join.Completion.TrySetException(ex);
                        break;
                    case FeedWork.Leave leave:
                        leave.Completion.TrySetResult();
                        break;
                }
            }
        }
    }

    private async Task ProcessAsync(FeedWork work)
    {
        switch (work)
        {
            case FeedWork.Batch batch:
                await DeliverAsync(batch.Messages.Messages).ConfigureAwait(false);
                break;
            case FeedWork.Heartbeat heartbeat:
                await CatchUpIfBehindAsync(heartbeat.LatestSeq).ConfigureAwait(false);
                break;
            case FeedWork.Join join:
                await JoinAsync(join).ConfigureAwait(false);
                break;
            case FeedWork.Leave leave:
                await LeaveAsync(leave).ConfigureAwait(false);
                break;
            case FeedWork.Renew:
                await RenewAsync().ConfigureAwait(false);
                break;
        }
    }

    private async Task JoinAsync(FeedWork.Join join)
    {
        var result = await _grain.JoinAsync(_front.FrontId, _front.Reference, join.Connection.User).ConfigureAwait(false);
        if (_members.ContainsKey(join.Connection))
        {
            // A repeated join answers again but must not count the connection twice in the room.
            await _grain.LeaveAsync(_front.FrontId, join.Connection.User).ConfigureAwait(false);
            join.Connection.Enqueue(ServerFrames.Joined(join.CommandId, Room, result with { Seq = Math.Max(_lastDelivered, 0) }));
            join.Completion.TrySetResult(result);
            return;
        }

        if (_lastDelivered < 0)
        {
            _lastDelivered = result.Seq;
        }
        else if (result.Seq > _lastDelivered)
        {
            await CatchUpAsync(result.Seq).ConfigureAwait(false);
        }

        // `joined` goes out before anything this member receives from the room.
        join.Connection.Enqueue(ServerFrames.Joined(join.CommandId, Room, result));
        _members.TryAdd(join.Connection, result.Seq);
        join.Completion.TrySetResult(result);
    }

    private async Task LeaveAsync(FeedWork.Leave leave)
    {
        if (_members.Remove(leave.Connection))
        {
            try
            {
                await _grain.LeaveAsync(_front.FrontId, leave.Connection.User).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The next renewal sends the true member list; nothing is lost by failing here.
                LogWorkFailed(ex, Room, nameof(FeedWork.Leave));
            }
        }

        leave.Completion.TrySetResult();
        if (_members.Count == 0)
        {
            _front.TryRetire(this);
        }
    }

    private async Task RenewAsync()
    {
        if (_members.Count == 0)
        {
            return;
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var connection in _members.Keys)
        {
            counts[connection.User] = counts.GetValueOrDefault(connection.User) + 1;
        }

        var latest = await _grain.RenewAsync(new Messaging.Delivery.FrontLease(_front.FrontId, _front.Reference, counts)).ConfigureAwait(false);
        await CatchUpIfBehindAsync(latest).ConfigureAwait(false);
    }

    private async Task CatchUpIfBehindAsync(long latestSeq)
    {
        if (_lastDelivered >= 0 && latestSeq > _lastDelivered)
        {
            // The room committed messages this front never received: a push was lost.
            _front.ReportMissedPush();
            LogGap(Room, _lastDelivered, latestSeq);
            await CatchUpAsync(latestSeq).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(IReadOnlyList<StoredMessage> messages)
    {
        if (_lastDelivered < 0)
        {
            return;
        }

        foreach (var message in messages)
        {
            if (message.Seq <= _lastDelivered)
            {
                continue;
            }

            if (message.Seq > _lastDelivered + 1)
            {
                LogGap(Room, _lastDelivered, message.Seq);
                await CatchUpAsync(message.Seq - 1).ConfigureAwait(false);
                if (message.Seq > _lastDelivered + 1)
                {
                    // Could not fill the gap now; the next heartbeat or renewal repairs it in order.
                    return;
                }
            }

            DeliverOne(message);
        }
    }

    /// <summary>Fetches and delivers (lastDelivered, untilSeq] from the room.</summary>
    private async Task CatchUpAsync(long untilSeq)
    {
        while (_lastDelivered < untilSeq)
        {
            RoomMessageBatch range;
            try
            {
                range = await _grain.GetRangeAsync(_lastDelivered, untilSeq, _gapFetchBatch).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogWorkFailed(ex, Room, "gap fetch");
                return;
            }

            if (range.Messages.Count == 0 || range.Messages[0].Seq != _lastDelivered + 1)
            {
                LogRangeIncomplete(Room, _lastDelivered, untilSeq);
                return;
            }

            foreach (var message in range.Messages)
            {
                if (message.Seq != _lastDelivered + 1)
                {
                    return;
                }

                DeliverOne(message);
            }
        }
    }

    private void DeliverOne(StoredMessage message)
    {
        // Built once for the front; the same array goes to every member's queue.
        var frame = ServerFrames.Message(Room, message);
        foreach (var (connection, joinedAt) in _members)
        {
            if (message.Seq > joinedAt)
            {
                connection.Enqueue(frame);
            }
        }

        _lastDelivered = message.Seq;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: {Work} failed.")]
    private partial void LogWorkFailed(Exception exception, string room, string work);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {Room}: gap after seq {LastDelivered} (room at {Seq}); fetching the range.")]
    private partial void LogGap(string room, long lastDelivered, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: range ({After}, {Until}] came back incomplete; will retry on the next heartbeat.")]
    private partial void LogRangeIncomplete(string room, long after, long until);
}
