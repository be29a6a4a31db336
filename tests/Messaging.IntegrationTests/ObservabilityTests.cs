using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// /metrics on a front and a silo: traffic moves each counter by exactly what was done, and the
/// silo's probes, dashboard and JSON logs behave as an operator relies on.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ObservabilityTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, FrontEnvironment, SiloEnvironment)
{
    private const string DashboardPassword = "a-long-operator-password";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static readonly Dictionary<string, string> FrontEnvironment = new()
    {
        ["Limits__CommandsPerSecond"] = "1",
        ["Limits__CommandBurst"] = "20",

        // Production's log format, with the scopes that name each socket.
        ["Logging__Console__FormatterName"] = "json",
        ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
        ["Logging__LogLevel__Messaging"] = "Debug",

        // Orleans' per-message size histograms, off by default (the silo here keeps the default).
        ["Telemetry__OrleansMessageSizes"] = "true",
    };

    private static readonly Dictionary<string, string> SiloEnvironment = new()
    {
        ["Dashboard__Enabled"] = "true",
        ["Dashboard__Password"] = DashboardPassword,
    };

    [Fact]
    public async Task Traffic_moves_the_front_and_silo_counters_by_what_was_done()
    {
        var front = Cluster.Fronts[0].BaseUri;
        var silo = Cluster.Silos[0].BaseUri;
        var frontBefore = await PrometheusScrape.ReadAsync(front);
        var siloBefore = await PrometheusScrape.ReadAsync(silo);

        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bob");
        await alice.JoinAsync("metered");
        await bob.JoinAsync("metered");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("ack", TestClient.Type(await alice.SendAsync("metered", new { i })));
        }

        await bob.WaitForMessagesAsync("metered", 5);
        await alice.WaitForMessagesAsync("metered", 5);

        // A burst past the bucket: every refusal the client saw is counted once.
        var flooder = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "flooder");
        for (var i = 0; i < 30; i++)
        {
            await flooder.SendRawAsync($"{{\"type\":\"ping\",\"id\":{1000 + i}}}");
        }

        await flooder.WaitForAsync(_ => flooder.Frames().Count(f => TestClient.Type(f) is "pong" or "error") >= 30);
        var refused = flooder.Frames().Count(f => TestClient.Type(f) == "error" && f.GetProperty("code").GetString() == "rate_limited");

        // A binary frame closes with 1003, counted under that code.
        await flooder.SendBytesAsync([1, 2, 3], WebSocketMessageType.Binary);
        Assert.Equal((WebSocketCloseStatus)1003, await flooder.WaitClosedAsync());
        await flooder.DisposeAsync();

        var frontAfter = await PrometheusScrape.WaitForAsync(front, s => s.Sum("messaging_connections_closed_total", "code=\"1003\"") > frontBefore.Sum("messaging_connections_closed_total", "code=\"1003\""));
        var siloAfter = await PrometheusScrape.ReadAsync(silo);

        double Delta(PrometheusScrape before, PrometheusScrape after, string name, params string[] labels) => after.Sum(name, labels) - before.Sum(name, labels);
        Assert.Equal(3, Delta(frontBefore, frontAfter, "messaging_connections_opened_total"));
        Assert.Equal(2, frontAfter.Sum("messaging_connections_active"));
        Assert.Equal(2, Delta(frontBefore, frontAfter, "messaging_joins_total"));
        Assert.Equal(5, Delta(frontBefore, frontAfter, "messaging_messages_received_total"));
        Assert.Equal(10, Delta(frontBefore, frontAfter, "messaging_messages_delivered_total"));
        Assert.True(refused > 0, "the flood was never refused");
        Assert.Equal(refused, Delta(frontBefore, frontAfter, "messaging_rate_limited_total", "surface=\"socket\""));
        Assert.Equal(1, Delta(frontBefore, frontAfter, "messaging_connections_closed_total", "code=\"1003\""));
        Assert.True(Delta(frontBefore, frontAfter, "messaging_fanout_latency_milliseconds_count") >= 1, "no fan-out latency was recorded");
        Assert.True(frontAfter.Has("messaging_queue_bytes"));
        Assert.True(frontAfter.Has("orleans_app_requests_latency_milliseconds_bucket"), "Orleans' own meters are missing");
        Assert.True(frontAfter.Has("orleans_messaging_sent_messages_size_bytes_bucket"), "the front was told to keep Orleans' message sizes");

        Assert.Equal(5, Delta(siloBefore, siloAfter, "messaging_messages_stored_total"));
        var commits = Delta(siloBefore, siloAfter, "messaging_commit_batch_messages_count");
        Assert.InRange(commits, 1, 5);
        Assert.Equal(5, Delta(siloBefore, siloAfter, "messaging_commit_batch_messages_sum"));
        Assert.Equal(commits, Delta(siloBefore, siloAfter, "messaging_storage_duration_milliseconds_count", "operation=\"commit\""));
        Assert.DoesNotContain("orleans_messaging_sent_messages_size", siloAfter.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("orleans_messaging_received_messages_size", siloAfter.Text, StringComparison.Ordinal);
        Assert.True(siloAfter.Has("orleans_app_requests_latency_milliseconds_bucket"), "the silo dropped more of Orleans' meters than the message sizes");
        Assert.True(siloAfter.Has("db_client_operation_duration_seconds_bucket") || siloAfter.Text.Contains("db_client_", StringComparison.Ordinal), "Npgsql's meters are missing");
    }

    [Fact]
    public async Task The_silo_serves_probes_and_its_dashboard_only_to_the_operator()
    {
        var silo = Cluster.Silos[0].BaseUri;
        Assert.Equal("ok", await Http.GetStringAsync(new Uri(silo, "/healthz")));
        Assert.Equal("ready", await Http.GetStringAsync(new Uri(silo, "/readyz")));

        using (var anonymous = await Http.GetAsync(new Uri(silo, "/dashboard/")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetDashboardAsync(silo, "/dashboard/", "ops", "wrong-password-of-length")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetDashboardAsync(silo, "/dashboard/ClusterStats", "ops", "wrong-password-of-length")).StatusCode);

        using var page = await GetDashboardAsync(silo, "/dashboard/", "ops", DashboardPassword);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Front_logs_are_json_with_the_connection_in_scope_and_never_the_token()
    {
        var token = Tokens.For("logged-user");
        await using (var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "logged-user", token, tokenInQuery: true))
        {
            await client.JoinAsync("logged-room");
        }

        var front = Cluster.Fronts[0];
        await front.WaitForOutputAsync("\"User\":\"logged-user\"", TimeSpan.FromSeconds(20));
        var lines = front.Output.Split('\n');
        var line = lines.First(l => l.Contains("\"User\":\"logged-user\"", StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(line);
        Assert.Contains(json.RootElement.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("ConnectionId", out _));
        Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(token.Split('.')[2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dashboard_without_a_password_stops_the_silo_naming_the_setting()
    {
        var silo = PlatformProcess.Start("silo-nopassword", Repo.SiloDll, Cluster.SiloEnvironment(new Dictionary<string, string>
        {
            ["Dashboard__Password"] = "short",
        }), Ports.Free());
        await using (silo)
        {
            Assert.Equal(2, await silo.Exited.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("Dashboard:Password", silo.Output, StringComparison.Ordinal);
        }
    }

    private static async Task<HttpResponseMessage> GetDashboardAsync(Uri silo, string path, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(silo, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await Http.SendAsync(request);
    }
}
