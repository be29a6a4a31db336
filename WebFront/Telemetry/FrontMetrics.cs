using System.Diagnostics.Metrics;
using Messaging.WebFront.Connections;

namespace Messaging.WebFront.Telemetry;

/// <summary>
/// The front's instruments (meter <c>Messaging.WebFront</c>). Hot paths add once per message per
/// front or once per socket write, never once per recipient.
/// </summary>
internal sealed class FrontMetrics
{
    public const string MeterName = "Messaging.WebFront";

    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Counter<long> _joins;
    private readonly Counter<long> _received;
    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _fanoutLatency;
    private readonly Counter<long> _drops;
    private readonly Counter<long> _overflows;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _signals;
    private readonly Counter<long> _writes;
    private static readonly KeyValuePair<string, object?> SignalKeptHere = new("route", "front");
    private static readonly KeyValuePair<string, object?> SignalThroughRoom = new("route", "room");

    public FrontMetrics(IMeterFactory meterFactory, ConnectionRegistry connections)
    {
        var meter = meterFactory.Create(MeterName);
        _opened = meter.CreateCounter<long>("messaging.connections.opened", "{connection}", "Sockets accepted, by how the handshake was answered (direct or pipeline).");
        _closed = meter.CreateCounter<long>("messaging.connections.closed", "{connection}", "Sockets closed, by the close code the server sent.");
        _joins = meter.CreateCounter<long>("messaging.joins", "{join}", "Successful joins.");
        _received = meter.CreateCounter<long>("messaging.messages.received", "{message}", "Messages clients sent to rooms (send and dm).");
        _delivered = meter.CreateCounter<long>("messaging.messages.delivered", "{message}", "Stored messages queued to local sockets, one per recipient.");
        _fanoutLatency = meter.CreateHistogram<double>("messaging.fanout.latency", "ms", "Room commit to socket write, for the oldest message of each write.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000] });
        _drops = meter.CreateCounter<long>("messaging.queue.drops", "{frame}", "Signals a slow socket skipped because its queue was half full.");
        _overflows = meter.CreateCounter<long>("messaging.queue.overflows", "{connection}", "Sockets closed (1008) because their queue passed Limits:QueueBytes.");
        _rateLimited = meter.CreateCounter<long>("messaging.rate_limited", "{request}", "Commands or API requests refused for their rate.");
        _signals = meter.CreateCounter<long>("messaging.signals.sent", "{signal}", "Signals members sent: kept on this front (it holds all the room's members) or passed through the room.");
        _writes = meter.CreateCounter<long>("messaging.socket.writes", "{write}", "Transport writes of queued frames to sockets; several frames may share one (see Delivery:WriteDelay).");
        meter.CreateObservableUpDownCounter("messaging.connections.active", () => connections.Count, "{connection}", "Open sockets on this front.");
        meter.CreateObservableGauge("messaging.queue.bytes", () => connections.QueuedBytes, "By", "Bytes waiting in this front's socket queues.");
    }

    public void ConnectionOpened(string handshake) => _opened.Add(1, new KeyValuePair<string, object?>("handshake", handshake));

    public void ConnectionClosed(int code) => _closed.Add(1, new KeyValuePair<string, object?>("code", code));

    public void Joined() => _joins.Add(1);

    public void MessageReceived() => _received.Add(1);

    public void Delivered(int recipients)
    {
        if (recipients > 0)
        {
            _delivered.Add(recipients);
        }
    }

    public void SocketWritten() => _writes.Add(1);

    public void FanoutLatency(double milliseconds) => _fanoutLatency.Record(milliseconds);

    public void SignalDropped(int frames) => _drops.Add(frames, new KeyValuePair<string, object?>("reason", "signal"));

    public void SignalSent(bool throughRoom) => _signals.Add(1, throughRoom ? SignalThroughRoom : SignalKeptHere);

    public void QueueOverflowed() => _overflows.Add(1);

    public void RateLimited(string surface) => _rateLimited.Add(1, new KeyValuePair<string, object?>("surface", surface));
}
