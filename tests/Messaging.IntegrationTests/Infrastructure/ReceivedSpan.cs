namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>One exported span: ids as hex, the parent empty for a root.</summary>
public sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name);
