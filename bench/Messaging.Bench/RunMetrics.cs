using System.Collections.Concurrent;

namespace Messaging.Bench;

/// <summary>Counters and histograms every client writes into; one instance per run, reset per step.</summary>
internal sealed class RunMetrics
{
    private long _deliveries;
    private long _windowDeliveries;
    private long _sent;
    private long _answered;
    private long _seqGaps;
    private long _publisherGaps;
    private long _disorder;
    private volatile bool _recording;

    public RunMetrics(int rooms) => PublishedOk = new long[rooms];

    public Histogram Delivery { get; } = new();

    public Histogram Ack { get; } = new();

    public Histogram Connect { get; } = new();

    public Histogram Join { get; } = new();

    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Per room: publishes the server accepted (acked sends, or signals written).</summary>
    public long[] PublishedOk { get; }

    public bool Recording { get => _recording; set => _recording = value; }

    public long Deliveries => Interlocked.Read(ref _deliveries);

    public long WindowDeliveries => Interlocked.Read(ref _windowDeliveries);

    public long Sent => Interlocked.Read(ref _sent);

    public long Answered => Interlocked.Read(ref _answered);

    public long SeqGaps => Interlocked.Read(ref _seqGaps);

    public long PublisherGaps => Interlocked.Read(ref _publisherGaps);

    public long Disorder => Interlocked.Read(ref _disorder);

    public long ErrorCount => Errors.Values.Sum();

    public void ResetStep()
    {
        Delivery.Reset();
        Ack.Reset();
        Errors.Clear();
        Array.Clear(PublishedOk);
        Interlocked.Exchange(ref _deliveries, 0);
        Interlocked.Exchange(ref _windowDeliveries, 0);
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _answered, 0);
        Interlocked.Exchange(ref _seqGaps, 0);
        Interlocked.Exchange(ref _publisherGaps, 0);
        Interlocked.Exchange(ref _disorder, 0);
    }

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountAnswered(int room, long latencyTicks)
    {
        Interlocked.Increment(ref _answered);
        Interlocked.Increment(ref PublishedOk[room]);
        if (_recording)
        {
            Ack.RecordTicks(latencyTicks);
        }
    }

    public void CountSignal(int room) => Interlocked.Increment(ref PublishedOk[room]);

    public void CountDelivery(long latencyTicks)
    {
        Interlocked.Increment(ref _deliveries);
        if (_recording)
        {
            Interlocked.Increment(ref _windowDeliveries);
            Delivery.RecordTicks(latencyTicks);
        }
    }

    public void CountSeqGap(long missing) => Interlocked.Add(ref _seqGaps, missing);

    public void CountPublisherGap(long missing) => Interlocked.Add(ref _publisherGaps, missing);

    public void CountDisorder() => Interlocked.Increment(ref _disorder);

    public void CountError(string code) => Errors.AddOrUpdate(code, 1, (_, n) => n + 1);
}
