using Messaging.Bench;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>The bench's comparison of several rounds: means on both sides, their ratio, and each round's ratio.</summary>
public sealed class BenchComparisonTests
{
    [Fact]
    public void Several_rounds_give_each_sides_mean_the_ratio_of_the_means_and_every_rounds_ratio()
    {
        var rounds = new List<(RunReport Ours, RunReport Baseline)>
        {
            (Report("ours", cpu: 120, losses: 0), Report("signalr", cpu: 160, losses: 0)),
            (Report("ours", cpu: 140, losses: 0), Report("signalr", cpu: 120, losses: 0)),
        };

        var rows = Comparison.ToMarkdown(rounds).Split('\n', StringSplitOptions.TrimEntries);

        Assert.StartsWith("### chat: ours vs signalr, mean of 2 rounds", rows[0], StringComparison.Ordinal);
        Assert.Contains("| cpu_ms_per_1000_messages | 130 | 140 | 0.93 | 0.75, 1.17 |", rows);

        // A zero on the baseline's side has no ratio, in the mean or in any round.
        Assert.Contains("| losses | 0 | 0 | n/a | n/a, n/a |", rows);
    }

    [Fact]
    public void A_metric_one_round_lacks_is_no_number_rather_than_a_mean_of_the_others()
    {
        var rounds = new List<(RunReport Ours, RunReport Baseline)>
        {
            (Report("ours", cpu: 120, losses: 0), Report("signalr", cpu: 160, losses: 0)),
            (Report("ours", cpu: 140, losses: 0), Report("signalr", cpu: null, losses: 0)),
        };

        var rows = Comparison.ToMarkdown(rounds).Split('\n', StringSplitOptions.TrimEntries);

        Assert.Contains("| cpu_ms_per_1000_messages | 130 | NaN | n/a | 0.75, n/a |", rows);
    }

    private static RunReport Report(string target, double? cpu, double losses)
    {
        var headline = new Dictionary<string, double>(StringComparer.Ordinal);
        if (cpu is { } value)
        {
            headline["cpu_ms_per_1000_messages"] = value;
        }

        headline["losses"] = losses;
        var none = new LatencySummary(0, 0, 0, 0, 0, 0);
        return new RunReport("chat", target, target, DateTimeOffset.UnixEpoch, "test", 2, 1, 2, 0, none, none, 0, 0,
            new Dictionary<string, double>(), new Dictionary<string, double>(), [], headline);
    }
}
