using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// With an OTLP endpoint set, one send is one trace across processes: the front's span for the
/// socket frame, Orleans' grain call into the silo, and the silo's commit under it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class TracingTests(ServersFixture servers) : IAsyncLifetime
{
    private readonly OtlpReceiver _collector = new();
    private readonly PlatformCluster _cluster = new(servers);

    public Task InitializeAsync()
    {
        var otlp = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        };
        return _cluster.StartAsync(silos: 1, fronts: 2, otlp, otlp);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _collector.DisposeAsync();
    }

    [Fact]
    public async Task A_send_is_one_trace_from_the_socket_frame_through_the_grain_call_to_the_commit()
    {
        // Bob is on another front: the sender's own front gets its copy in the call's answer, so
        // the push that shows fan-out in the trace is the one to bob's front.
        await using var alice = await TestClient.ConnectAsync(_cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(_cluster.Fronts[1].SocketUri, "bob");
        await alice.JoinAsync("traced");
        await bob.JoinAsync("traced");
        Assert.Equal("ack", TestClient.Type(await alice.SendAsync("traced", "hello")));

        var send = await WaitForSpanAsync(s => s.Name == "messaging.send");
        Assert.True(send is not null, $"no messaging.send span; got {string.Join(", ", _collector.Spans.Select(s => s.Name).Distinct())}");
        var commit = await WaitForSpanAsync(s => s.Name == "messaging.commit" && s.TraceId == send.TraceId);
        Assert.True(commit is not null, $"no messaging.commit span in the send's trace; got {Names(send.TraceId)}");

        // The commit's ancestors lead back to the send's span through the grain call spans. Each
        // process exports on its own schedule, so the chain may take a moment to be complete.
        List<string> chain = [];
        var reached = await Poll.UntilAsync(() => Task.FromResult(Descends(commit, send, chain)), done => done);
        Assert.True(reached, $"the commit does not descend from the send: {string.Join(" <- ", chain)}");
        Assert.Contains(chain, name => name.Contains("SendManyAsync", StringComparison.Ordinal));

        // The fan-out: the room's push of the committed batch to the other front, in the same trace.
        var fanout = await WaitForSpanAsync(s => s.TraceId == send.TraceId && s.Name.Contains("OnMessagesAsync", StringComparison.Ordinal));
        Assert.True(fanout is not null, $"no push to the front in the send's trace; got {Names(send.TraceId)}");
    }

    /// <summary>True when following parents from <paramref name="span"/> reaches <paramref name="ancestor"/>; <paramref name="chain"/> gets the names on the way.</summary>
    private bool Descends(ReceivedSpan span, ReceivedSpan ancestor, List<string> chain)
    {
        var byId = _collector.Spans.Where(s => s.TraceId == ancestor.TraceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        chain.Clear();
        for (var at = span; at is not null; at = byId.GetValueOrDefault(at.ParentSpanId))
        {
            chain.Add(at.Name);
            if (at.ParentSpanId == ancestor.SpanId)
            {
                chain.Add(ancestor.Name);
                return true;
            }
        }

        return false;
    }

    private string Names(string traceId) => string.Join(", ", _collector.Spans.Where(s => s.TraceId == traceId).Select(s => s.Name));

    private Task<ReceivedSpan?> WaitForSpanAsync(Func<ReceivedSpan, bool> match) =>
        Poll.UntilAsync(() => Task.FromResult(_collector.Spans.FirstOrDefault(match)), span => span is not null);
}
