using System.Globalization;
using System.Text.Json;

namespace Messaging.Bench;

/// <summary>One run's figures: JSON for machines, a markdown row for people.</summary>
internal sealed record BenchResult(
    string Label, int Clients, int Window, double Seconds, int Acked, double AckedPerSecond,
    double AckP50Ms, double AckP99Ms, double AckMaxMs, int Errors, int SeqGaps, IReadOnlyDictionary<string, int> ErrorKinds)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture,
        $"| {Label} | {Clients}x{Window} | {Acked} | {AckedPerSecond:F0}/s | {AckP50Ms:F1} ms | {AckP99Ms:F1} ms | {AckMaxMs:F1} ms | {Errors} | {SeqGaps} |");
}
