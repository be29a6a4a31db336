namespace Messaging.Bench;

/// <summary>CPU milliseconds and memory bytes (PSS) per server process tree at one instant.</summary>
internal sealed record ProcessSample(IReadOnlyDictionary<int, (double CpuMs, long RssBytes)> PerRoot)
{
    public double CpuMs => PerRoot.Values.Sum(v => v.CpuMs);

    public long RssBytes => PerRoot.Values.Sum(v => v.RssBytes);
}
