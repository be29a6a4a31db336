using System.Globalization;
using System.Text;

namespace Messaging.Bench;

/// <summary>Ours against the baseline, metric by metric, from two runs' JSON.</summary>
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
            var ratio = other == 0 || double.IsNaN(other) ? "n/a" : (value / other).ToString("F2", c);
            text.AppendLine(c, $"| {name} | {value.ToString("G5", c)} | {other.ToString("G5", c)} | {ratio} |");
        }

        return text.ToString();
    }
}
