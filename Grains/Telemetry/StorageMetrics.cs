using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Messaging.Telemetry;

/// <summary>Instruments of the message store: one record per transaction or read, never per message.</summary>
internal sealed class StorageMetrics
{
    private static readonly KeyValuePair<string, object?> Commit = new("operation", "commit");
    private static readonly KeyValuePair<string, object?> Read = new("operation", "read");

    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _messages;
    private readonly Histogram<int> _rooms;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _pruned;

    public StorageMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MessagingTelemetry.RoomsMeter);
        _duration = meter.CreateHistogram<double>("messaging.storage.duration", "ms", "Time of one message-store transaction or read.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1000, 5000] });
        _messages = meter.CreateHistogram<int>("messaging.commit.batch.messages", "{message}", "Messages stored by one group commit (one transaction).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
        _rooms = meter.CreateHistogram<int>("messaging.commit.batch.rooms", "{room}", "Rooms sharing one transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _stored = meter.CreateCounter<long>("messaging.messages.stored", "{message}", "Messages committed to the message store.");
        _pruned = meter.CreateCounter<long>("messaging.retention.pruned", "{message}", "Messages removed by retention.");
    }

    public void Committed(long startTimestamp, int rooms, int messages)
    {
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, Commit);
        _rooms.Record(rooms);
        _messages.Record(messages);
        _stored.Add(messages);
    }

    public void ReadDone(long startTimestamp) => _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, Read);

    public void Pruned(long messages) => _pruned.Add(messages);
}
