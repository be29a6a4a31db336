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
        return _cluster.StartAsync(silos: 1, fronts: 1, otlp, otlp);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _collector.DisposeAsync();
    }

    [Fact]
    public async Task A_send_is_one_trace_from_the_socket_frame_through_the_grain_call_to_the_commit()
    {
        await using var alice = await TestClient.ConnectAsync(_cluster.Fronts[0].SocketUri, "alice");
        await alice.JoinAsync("traced");
        Assert.Equal("ack", TestClient.Type(await alice.SendAsync("traced", "hello")));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<ReceivedSpan> spans;
        ReceivedSpan? send;
        ReceivedSpan? commit;
        while (true)
        {
            spans = _collector.Spans;
            send = spans.FirstOrDefault(s => s.Name == "messaging.send");
            commit = send is null ? null : spans.FirstOrDefault(s => s.Name == "messaging.commit" && s.TraceId == send.TraceId);
            if (commit is not null || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.True(send is not null, $"no messaging.send span; got {string.Join(", ", spans.Select(s => s.Name).Distinct())}");
        Assert.True(commit is not null, $"no messaging.commit span in the send's trace; got {string.Join(", ", spans.Where(s => s.TraceId == send.TraceId).Select(s => s.Name))}");

        // The commit's ancestors lead back to the send's span through the grain call spans.
        var byId = spans.Where(s => s.TraceId == send.TraceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var chain = new List<string> { commit.Name };
        var reached = false;
        for (var at = commit; at is not null && !reached; at = byId.GetValueOrDefault(at.ParentSpanId))
        {
            reached = at.ParentSpanId == send.SpanId;
            if (!reached && byId.GetValueOrDefault(at.ParentSpanId) is { } parent)
            {
                chain.Add(parent.Name);
            }
        }

        chain.Add(send.Name);
        Assert.True(reached, $"the commit does not descend from the send: {string.Join(" <- ", chain)}");
        Assert.Contains(chain, name => name.Contains("SendManyAsync", StringComparison.Ordinal));
    }
}
