namespace Messaging.Storage;

/// <summary>
/// Group commit sized by load: how long a commit writer keeps its transaction open for other
/// rooms' commits (<see cref="Rooms.RoomOptions.CommitWindow"/>). Each transaction pays a log
/// flush and a round trip whatever it carries, so under load a short wait lets many rooms share
/// one. The wait is worth it only when others are likely to come: a room has at most one commit
/// in flight, so a lone busy room gains nothing from waiting (its next batch cannot arrive before
/// this one is stored), and a quiet silo would only add latency. So the writer holds the window
/// only when the last period saw enough commits from enough different rooms to expect at least
/// <see cref="MinExpectedRooms"/> others within it.
/// </summary>
internal sealed class CommitWindow
{
    /// <summary>Load is measured over periods this long; the decision follows it within one period.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    /// <summary>Fewer rooms expected to join than this save too little log work to be worth the wait.</summary>
    public const int MinExpectedRooms = 4;

    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _rooms = new(StringComparer.Ordinal);
    private long _periodStart;
    private int _commits;
    private long _holdTicks;

    public CommitWindow(TimeSpan window, TimeProvider time)
    {
        _window = window;
        _time = time;
        _periodStart = time.GetTimestamp();
    }

    /// <summary>How long the next transaction waits for company: the window under load, else zero.</summary>
    public TimeSpan Hold => TimeSpan.FromTicks(Volatile.Read(ref _holdTicks));

    /// <summary>Counts a commit of <paramref name="room"/> towards the current period's load.</summary>
    public void Observe(string room)
    {
        if (_window <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var elapsed = _time.GetElapsedTime(_periodStart, now);
            if (elapsed >= Period)
            {
                Volatile.Write(ref _holdTicks, Decide(_commits, _rooms.Count, elapsed, _window).Ticks);
                _periodStart = now;
                _commits = 0;
                _rooms.Clear();
            }

            _commits++;
            _rooms.Add(room);
        }
    }

    /// <summary>
    /// The hold for a period that saw <paramref name="commits"/> commits from
    /// <paramref name="rooms"/> rooms: the rooms other than a transaction's first that would
    /// arrive within the window at that rate, never more than there are other rooms.
    /// </summary>
    public static TimeSpan Decide(int commits, int rooms, TimeSpan elapsed, TimeSpan window)
    {
        if (window <= TimeSpan.Zero || rooms <= 1 || elapsed <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var arriving = commits * (window / elapsed);
        var expected = Math.Min(arriving, rooms - 1);
        return expected >= MinExpectedRooms ? window : TimeSpan.Zero;
    }
}
