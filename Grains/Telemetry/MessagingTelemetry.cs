using System.Diagnostics;

namespace Messaging.Telemetry;

/// <summary>The names the platform's meters and trace sources go by, for exporters and dashboards.</summary>
public static class MessagingTelemetry
{
    /// <summary>Silo-side instruments: commits, batch sizes, storage latency, retention.</summary>
    public const string RoomsMeter = "Messaging.Rooms";

    /// <summary>Front-side instruments: sockets, joins, messages in and out, fan-out latency, queues.</summary>
    public const string FrontMeter = "Messaging.WebFront";

    /// <summary>Spans of the message path: socket frame on the front, commit on the silo.</summary>
    public const string ActivitySourceName = "Messaging";

    /// <summary>Started only when tracing is on (an OTLP endpoint is set); otherwise every call returns null at no cost.</summary>
    public static readonly ActivitySource Source = new(ActivitySourceName);
}
