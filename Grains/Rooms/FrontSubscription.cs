using Messaging.Delivery;

namespace Messaging.Rooms;

/// <summary>One front subscribed to a room: where to push, who is there, and until when.</summary>
internal sealed class FrontSubscription(IRoomObserver observer)
{
    public IRoomObserver Observer { get; set; } = observer;

    /// <summary>User id → connections of that user on this front.</summary>
    public Dictionary<string, int> Members { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset LeaseExpiry { get; set; }

    /// <summary>
    /// Messages went to this front one-way since its last heartbeat, so one of them may have been
    /// lost unseen. A front that only got messages in its own send answers needs no heartbeat.
    /// </summary>
    public bool AwaitsHeartbeat { get; set; }

    public void Add(string user) => Members[user] = Members.GetValueOrDefault(user) + 1;

    public bool Remove(string user)
    {
        if (!Members.TryGetValue(user, out var count))
        {
            return false;
        }

        if (count <= 1)
        {
            Members.Remove(user);
        }
        else
        {
            Members[user] = count - 1;
        }

        return true;
    }

    public void Replace(IReadOnlyDictionary<string, int> members)
    {
        Members.Clear();
        foreach (var (user, count) in members)
        {
            if (count > 0)
            {
                Members[user] = count;
            }
        }
    }
}
