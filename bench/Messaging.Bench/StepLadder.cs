namespace Messaging.Bench;

/// <summary>
/// fanout's climb: when it stops, and which step is the figure it reports. Two steps over the
/// limit in a row end it, since one can be a hiccup of a shared machine; the figure is the
/// fastest step within the limit that lost nothing, wherever it came in the climb.
/// </summary>
internal static class StepLadder
{
    public const int FailuresToStop = 2;

    /// <summary>Steps over the limit in a row, counting <paramref name="step"/>.</summary>
    public static int FailedInARow(int before, StepReport step, double p99LimitMs) => step.DeliveryMs.P99 > p99LimitMs ? before + 1 : 0;

    public static StepReport? Best(IEnumerable<StepReport> steps, double p99LimitMs) =>
        steps.Where(s => s.DeliveryMs.P99 <= p99LimitMs && s.Losses == 0).MaxBy(s => s.DeliveriesPerSecond);
}
