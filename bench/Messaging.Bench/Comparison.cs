using System.Globalization;
using System.Text;

namespace Messaging.Bench;

/// <summary>Ours against the baseline, metric by metric, from the JSON of one or more rounds.</summary>
internal static class Comparison
{
    public static string ToMarkdown(RunReport ours, RunReport baseline)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"### {ours.Scenario}: {ours.Target} vs {baseline.Target}");
        text.AppendLine("| metric | ours | baseline | ours / baseline |");
        text.AppendLine("|---|---|---|---|");
        foreach (var (name, value) in ours.Headline)
        {
            var other = baseline.Headline.GetValueOrDefault(name, double.NaN);
            text.AppendLine(c, $"| {name} | {value.ToString("G5", c)} | {other.ToString("G5", c)} | {Ratio(value, other)} |");
        }

        return text.ToString();
    }

    /// <summary>
    /// Several rounds: each metric's mean on both sides, their ratio, and every round's own
    /// ratio, so the spread a single round carries on a drifting machine stays in view.
    /// </summary>
    public static string ToMarkdown(IReadOnlyList<(RunReport Ours, RunReport Baseline)> rounds)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rounds.Count);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"### {rounds[0].Ours.Scenario}: {rounds[0].Ours.Target} vs {rounds[0].Baseline.Target}, mean of {rounds.Count} rounds");
        text.AppendLine("| metric | ours | baseline | ours / baseline | each round |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var name in rounds[0].Ours.Headline.Keys)
        {
            var ours = rounds.Select(r => r.Ours.Headline.GetValueOrDefault(name, double.NaN)).ToList();
            var baseline = rounds.Select(r => r.Baseline.Headline.GetValueOrDefault(name, double.NaN)).ToList();
            var each = string.Join(", ", ours.Zip(baseline, Ratio));
            text.AppendLine(c, $"| {name} | {ours.Average().ToString("G5", c)} | {baseline.Average().ToString("G5", c)} | {Ratio(ours.Average(), baseline.Average())} | {each} |");
        }

        return text.ToString();
    }

    private static string Ratio(double value, double other) =>
        other == 0 || double.IsNaN(other) || double.IsNaN(value) ? "n/a" : (value / other).ToString("F2", CultureInfo.InvariantCulture);
}
