using Messaging.Rooms;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// A room's sends from this front, in the order local connections sent them. One grain call is
/// in flight at a time and carries everything queued meanwhile: Orleans does not keep two calls
/// in order, and one call per batch instead of one per message also takes load off the room.
/// Messages the room answers <see cref="SendResult.InAnswer"/> go to the room's feed here before
/// their senders' acks, as the room's push would have.
/// </summary>
internal sealed class RoomOutbox(string room, IRoomGrain grain, FrontDelivery delivery, Action<RoomOutbox> retire)
{
    private readonly Lock _gate = new();
    private readonly List<(SendRequest Request, TaskCompletionSource<SendResult> Completion)> _queue = [];
    private bool _running;
    private bool _retired;

    public string Room { get; } = room;

    /// <summary>Queues a send; false when this outbox has retired and a new one must take it.</summary>
    public bool TrySend(SendRequest request, out Task<SendResult> result)
    {
        // Completed from the pump, off any lock and after the grain call returned on the thread
        // pool; the awaiter (writing an ack) runs inline there instead of on one more thread.
        var completion = new TaskCompletionSource<SendResult>();
        bool start;
        lock (_gate)
        {
            if (_retired)
            {
                result = Task.FromResult(SendResult.Unavailable);
                return false;
            }

            _queue.Add((request, completion));
            start = !_running;
            _running = true;
        }

        result = completion.Task;
        if (start)
        {
            _ = PumpAsync();
        }

        return true;
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            (SendRequest Request, TaskCompletionSource<SendResult> Completion)[] batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    // Idle with nothing in flight: nothing queued here can be overtaken by a new outbox.
                    _running = false;
                    _retired = true;
                    break;
                }

                var take = Math.Min(_queue.Count, RoomLimits.MaxSendMany);
                batch = [.. _queue.GetRange(0, take)];
                _queue.RemoveRange(0, take);
            }

            try
            {
                var results = await grain.SendManyAsync(delivery.FrontId, Array.ConvertAll(batch, b => b.Request)).ConfigureAwait(false);
                DeliverAnswered(batch, results);
                delivery.OnSendAnswered(Room, leaseRenewed: results.Length > 0 && results[^1].LeaseRenewed);
                for (var i = 0; i < batch.Length; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                // The messages may have been stored all the same: the renewal's seq will show it.
                delivery.OnSendAnswered(Room, leaseRenewed: false);
                foreach (var item in batch)
                {
                    item.Completion.TrySetException(ex);
                }
            }
        }

        retire(this);
    }

    /// <summary>Hands the feed each run of consecutive seqs the room left to this answer (a feed takes a run without gaps).</summary>
    private void DeliverAnswered((SendRequest Request, TaskCompletionSource<SendResult> Completion)[] batch, SendResult[] results)
    {
        List<StoredMessage>? run = null;
        for (var i = 0; i < results.Length; i++)
        {
            var result = results[i];
            if (!result.InAnswer)
            {
                continue;
            }

            if (run is { Count: > 0 } && run[^1].Seq + 1 != result.Seq)
            {
                delivery.DeliverAnswered(new RoomMessageBatch(Room, run));
                run = null;
            }

            var request = batch[i].Request;
            (run ??= []).Add(new StoredMessage(result.Seq, request.From, request.Body, result.Ts, request.Cid));
        }

        if (run is not null)
        {
            delivery.DeliverAnswered(new RoomMessageBatch(Room, run));
        }
    }
}
