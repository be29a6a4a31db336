namespace Messaging.Bench;

/// <summary>
/// A log-linear latency histogram in microseconds, HDR style: 64 linear sub-buckets per power of
/// two (about 1.6 % relative error), up to about 70 minutes. Recording is lock-free, so every
/// receive loop writes into one shared instance.
/// </summary>
internal sealed class Histogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Magnitudes = 33;
    private readonly long[] _counts = new long[Magnitudes * SubBuckets];
    private long _max;

    public long Count
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                total += Volatile.Read(ref _counts[i]);
            }

            return total;
        }
    }

    public void RecordMicroseconds(long value)
    {
        value = Math.Max(0, value);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        long seen;
        while (value > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, value, seen) != seen)
        {
        }
    }

    public void RecordTicks(long stopwatchTicks) => RecordMicroseconds(stopwatchTicks * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    public void Reset()
    {
        Array.Clear(_counts);
        Volatile.Write(ref _max, 0);
    }

    public double MaxMilliseconds => Volatile.Read(ref _max) / 1000.0;

    /// <summary>The value at quantile <paramref name="q"/> (0..1) in milliseconds: the upper edge of its bucket.</summary>
    public double PercentileMilliseconds(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= Math.Max(rank, 1))
            {
                return Math.Min(UpperEdge(i), Volatile.Read(ref _max)) / 1000.0;
            }
        }

        return MaxMilliseconds;
    }

    public LatencySummary Summary() => new(
        Count,
        PercentileMilliseconds(0.50),
        PercentileMilliseconds(0.90),
        PercentileMilliseconds(0.99),
        PercentileMilliseconds(0.999),
        MaxMilliseconds);

    internal static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var magnitude = 63 - (int)long.LeadingZeroCount(value) - SubBucketBits + 1;
        var sub = (int)(value >> magnitude) - (SubBuckets / 2);
        return Math.Min((magnitude * (SubBuckets / 2)) + (SubBuckets / 2) + sub, (Magnitudes * SubBuckets) - 1);
    }

    internal static long UpperEdge(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var magnitude = ((index - (SubBuckets / 2)) / (SubBuckets / 2));
        var sub = (index - (SubBuckets / 2)) % (SubBuckets / 2);
        return ((long)(sub + (SubBuckets / 2) + 1) << magnitude) - 1;
    }
}
