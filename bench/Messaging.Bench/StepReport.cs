namespace Messaging.Bench;

/// <summary>One traffic step: figures over its measured window, and its losses once it settled.</summary>
internal sealed record StepReport(
    double RateTarget,
    double Seconds,
    long Sent,
    long Answered,
    long PublishedOk,
    double MessagesPerSecond,
    long Deliveries,
    long ExpectedDeliveries,
    long Losses,
    double DeliveriesPerSecond,
    LatencySummary DeliveryMs,
    LatencySummary AckMs,
    long SeqGaps,
    long PublisherGaps,
    long Disorder,
    IReadOnlyDictionary<string, long> Errors,
    double ServerCpuMs,
    double CpuMsPer1000Deliveries,
    double CpuMsPer1000Messages,
    double ToolCpuMs,
    IReadOnlyDictionary<string, double> CpuMsByProcess);
