using Messaging.Bench;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>fanout's ladder: when the climb ends, which step it reports, and the steps it offers.</summary>
public sealed class BenchLadderTests
{
    private const double Limit = 50;

    [Fact]
    public void One_step_over_the_limit_is_forgiven_and_two_in_a_row_end_the_climb()
    {
        var failed = 0;
        failed = StepLadder.FailedInARow(failed, Step(1000, p99: 60), Limit);
        Assert.Equal(1, failed);
        failed = StepLadder.FailedInARow(failed, Step(1200, p99: 40), Limit);
        Assert.Equal(0, failed);
        failed = StepLadder.FailedInARow(failed, Step(1400, p99: 55), Limit);
        failed = StepLadder.FailedInARow(failed, Step(1600, p99: 70), Limit);
        Assert.Equal(StepLadder.FailuresToStop, failed);
    }

    [Fact]
    public void The_figure_is_the_fastest_step_within_the_limit_that_lost_nothing()
    {
        StepReport[] steps =
        [
            Step(1000, p99: 20),
            Step(2000, p99: 50),
            Step(3000, p99: 45, losses: 1),
            Step(4000, p99: 50.1),
            Step(1500, p99: 30),
        ];

        Assert.Equal(2000 * 100, StepLadder.Best(steps, Limit)!.DeliveriesPerSecond);
        Assert.Null(StepLadder.Best([Step(1000, p99: 51)], Limit));
    }

    [Fact]
    public void Fanouts_steps_rise_and_go_well_past_where_the_platform_gave_out()
    {
        var options = LoadOptions.Parse(["fanout", "--url", "ws://127.0.0.1:5000/ws", "--key", "k"])!;

        Assert.True(options.Rates.Zip(options.Rates.Skip(1)).All(p => p.Second > p.First), string.Join(",", options.Rates));

        // The nineteenth session's run held p99 under 50 ms at 5,896 msgs/s and gave out at 8,000;
        // a ladder that ended there would report its own top, not the platform's.
        Assert.True(options.Rates[^1] >= 2 * 5_896, $"the ladder ends at {options.Rates[^1]}");
    }

    [Fact]
    public void The_tool_refuses_a_target_that_is_not_loopback()
    {
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["fanout", "--url", "ws://192.0.2.1:5000/ws", "--key", "k"]));
    }

    private static StepReport Step(double rate, double p99, long losses = 0)
    {
        var latency = new LatencySummary(1, p99 / 2, p99, p99, p99, p99);
        return new StepReport(rate, 5, 0, 0, 0, rate, 0, 0, losses, rate * 100, latency, latency, 0, 0, 0,
            new Dictionary<string, long>(), 0, 0, 0, 0, new Dictionary<string, double>());
    }
}
