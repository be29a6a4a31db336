using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Messaging.Bench;

/// <summary>One run: the setup, every step, and the scenario's headline figures for comparisons.</summary>
internal sealed record RunReport(
    string Scenario,
    string Target,
    string Label,
    DateTimeOffset Date,
    string Machine,
    int Connections,
    int Rooms,
    int Publishers,
    double ConnectAndJoinSeconds,
    LatencySummary ConnectMs,
    LatencySummary JoinMs,
    long ServerRssBeforeBytes,
    long ServerRssAfterBytes,
    IReadOnlyDictionary<string, double> MemoryMibByProcessBefore,
    IReadOnlyDictionary<string, double> MemoryMibByProcessAfter,
    IReadOnlyList<StepReport> Steps,
    IReadOnlyDictionary<string, double> Headline)
{
    /// <summary>Connections opened and kept before the "before" sample (idle's base wave); not counted in <see cref="Connections"/>.</summary>
    public int BaseConnections { get; init; }

    /// <summary>Server memory before any connection, when a base wave came first (else the same as before).</summary>
    public long ServerRssStartBytes { get; init; }

    public IReadOnlyDictionary<string, double>? MemoryMibByProcessStart { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunReport? FromJson(string json) => JsonSerializer.Deserialize<RunReport>(json, Json);

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"### {Scenario} · {Target} · {Label}");
        text.AppendLine(c, $"{Connections} connections, {Rooms} rooms, {Publishers} publishers; connected and joined in {ConnectAndJoinSeconds:F2} s (connect p99 {ConnectMs.P99:F1} ms, join p99 {JoinMs.P99:F1} ms)");
        if (Steps.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| rate/s | msgs/s | deliveries/s | delivery p50 / p99 / p99.9 / max ms | ack p50 / p99 / max ms | losses | gaps | disorder | errors | server CPU ms /1k deliveries |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var s in Steps)
            {
                var errors = s.Errors.Count == 0 ? "0" : string.Join(' ', s.Errors.Select(e => $"{e.Key}:{e.Value}"));
                text.AppendLine(c, $"| {s.RateTarget:F0} | {s.MessagesPerSecond:F0} | {s.DeliveriesPerSecond:F0} | {s.DeliveryMs.P50:F1} / {s.DeliveryMs.P99:F1} / {s.DeliveryMs.P999:F1} / {s.DeliveryMs.Max:F1} | {s.AckMs.P50:F1} / {s.AckMs.P99:F1} / {s.AckMs.Max:F1} | {s.Losses} | {s.SeqGaps + s.PublisherGaps} | {s.Disorder} | {errors} | {s.CpuMsPer1000Deliveries:F2} |");
            }
        }

        text.AppendLine();
        if (BaseConnections > 0)
        {
            text.AppendLine(c, $"base wave: {BaseConnections} connections opened first and kept; server memory (PSS) {ServerRssStartBytes / 1048576.0:F1} MiB at start");
        }

        text.AppendLine(c, $"server memory (PSS) {ServerRssBeforeBytes / 1048576.0:F1} MiB before, {ServerRssAfterBytes / 1048576.0:F1} MiB after; headline: {string.Join(", ", Headline.Select(h => $"{h.Key}={h.Value.ToString("G6", c)}"))}");
        return text.ToString();
    }
}
