namespace Messaging.WebFront.Connections;

/// <summary>
/// A token bucket: <c>capacity</c> commands at once, refilled at <c>ratePerSecond</c>.
/// Not thread-safe: each connection's read loop owns one.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _capacity;
    private readonly double _perTick;
    private double _tokens;
    private long _lastTimestamp;

    public TokenBucket(int ratePerSecond, int capacity, long nowTimestamp, long timestampFrequency)
    {
        _capacity = capacity;
        _perTick = ratePerSecond / (double)timestampFrequency;
        _tokens = capacity;
        _lastTimestamp = nowTimestamp;
    }

    /// <summary>Takes one token if there is one, after refilling for the time since the last call.</summary>
    public bool TryTake(long nowTimestamp)
    {
        var elapsed = nowTimestamp - _lastTimestamp;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _perTick));
            _lastTimestamp = nowTimestamp;
        }

        if (_tokens >= 1)
        {
            _tokens -= 1;
            return true;
        }

        return false;
    }
}
