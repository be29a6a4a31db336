using System.Globalization;

namespace Messaging.Bench;

/// <summary>Command-line settings. The tool only ever targets loopback, and every loop is bounded in time.</summary>
internal sealed record BenchOptions(string Scenario, Uri Url, string Key, int Clients, int Window, TimeSpan Duration, string Room, string Label)
{
    public const string Usage = "usage: Messaging.Bench hotroom --url ws://127.0.0.1:PORT/ws --key SIGNING_KEY [--clients 20] [--window 8] [--seconds 10] [--room NAME] [--label TEXT]";

    public static BenchOptions? Parse(string[] args)
    {
        if (args.Length == 0 || args[0] != "hotroom")
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--url", out var url) || !values.TryGetValue("--key", out var key))
        {
            return null;
        }

        var uri = new Uri(url);
        if (!uri.IsLoopback)
        {
            Console.Error.WriteLine("refusing a non-loopback target");
            return null;
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new BenchOptions(
            args[0],
            uri,
            key,
            Math.Clamp(Int("--clients", 20), 1, 1000),
            Math.Clamp(Int("--window", 8), 1, 1000),
            TimeSpan.FromSeconds(Math.Clamp(Int("--seconds", 10), 1, 600)),
            values.GetValueOrDefault("--room") ?? $"hot-{Guid.NewGuid():N}",
            values.GetValueOrDefault("--label") ?? "run");
    }
}
