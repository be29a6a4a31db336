namespace Messaging.Rooms;

/// <summary>
/// Presence: who is online, counted once per user however many connections and fronts it has.
/// Changes are gathered for <see cref="RoomOptions.PresenceCoalesce"/> and sent as one diff, so a
/// join storm costs a few frames per member, not one per joiner.
/// </summary>
internal sealed partial class RoomGrain
{
    // User → connections across all fronts.
    private readonly Dictionary<string, int> _online = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingJoins = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pendingLeaves = new(StringComparer.Ordinal);
    private IGrainTimer? _presenceTimer;

    private void AddConnection(FrontSubscription front, string user)
    {
        front.Add(user);
        AdjustOnline(user, +1);
    }

    private void RemoveConnection(FrontSubscription front, string user)
    {
        if (front.Remove(user))
        {
            AdjustOnline(user, -1);
        }
    }

    private void ReplaceMembers(FrontSubscription front, IReadOnlyDictionary<string, int> members)
    {
        // Only the net change per user counts: a renewal that repeats what the room knows (the
        // usual case, every few seconds) changes nothing and schedules no diff.
        var deltas = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (user, count) in front.Members)
        {
            deltas[user] = -count;
        }

        front.Replace(members);
        foreach (var (user, count) in front.Members)
        {
            deltas[user] = deltas.GetValueOrDefault(user) + count;
        }

        foreach (var (user, delta) in deltas)
        {
            if (delta != 0)
            {
                AdjustOnline(user, delta);
            }
        }
    }

    private void DropFront(string frontId)
    {
        if (_fronts.Remove(frontId, out var front))
        {
            foreach (var (user, count) in front.Members)
            {
                AdjustOnline(user, -count);
            }
        }
    }

    private void AdjustOnline(string user, int delta)
    {
        var before = _online.GetValueOrDefault(user);
        var after = before + delta;
        if (after > 0)
        {
            _online[user] = after;
        }
        else
        {
            _online.Remove(user);
        }

        if (before <= 0 && after > 0)
        {
            Publish(Events.RoomEventKind.Joined, user);
            // Back before the last diff went out: the members never saw it leave.
            if (!_pendingLeaves.Remove(user))
            {
                _pendingJoins.Add(user);
            }

            SchedulePresenceDiff();
        }
        else if (before > 0 && after <= 0)
        {
            Publish(Events.RoomEventKind.Left, user);
            if (!_pendingJoins.Remove(user))
            {
                _pendingLeaves.Add(user);
            }

            SchedulePresenceDiff();
        }
    }

    private void SchedulePresenceDiff()
    {
        _presenceTimer ??= this.RegisterGrainTimer(SendPresenceDiffAsync, new GrainTimerCreationOptions
        {
            DueTime = _options.PresenceCoalesce,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = true,
            KeepAlive = false,
        });
    }

    private Task SendPresenceDiffAsync(CancellationToken cancellationToken)
    {
        _presenceTimer?.Dispose();
        _presenceTimer = null;
        if (_pendingJoins.Count == 0 && _pendingLeaves.Count == 0)
        {
            return Task.CompletedTask;
        }

        var diff = new RoomPresenceDiff(Room, [.. _pendingJoins], [.. _pendingLeaves]);
        _pendingJoins.Clear();
        _pendingLeaves.Clear();
        Broadcast(static (observer, diff) => observer.OnPresenceAsync(diff), diff);
        return Task.CompletedTask;
    }
}
