using System.Globalization;
using Xunit;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// Silos and fronts as separate OS processes on the shared PostgreSQL and Redis, with their own
/// database and cluster id. Membership is tuned to notice a dead silo in seconds, as a test needs.
/// </summary>
public sealed class PlatformCluster : IAsyncDisposable
{
    private static int _clusters;
    private readonly ServersFixture _servers;
    private readonly string _clusterId = $"test-{Environment.ProcessId}-{Interlocked.Increment(ref _clusters)}";
    private string _database = string.Empty;
    private int _silosStarted;
    private int _frontsStarted;

    public PlatformCluster(ServersFixture servers) => _servers = servers;

    /// <summary>The Redis holding this cluster's membership: the run's shared one unless a test brings its own.</summary>
    public RedisServer? Redis { get; set; }

    private string RedisConnectionString => (Redis ?? _servers.Redis).ConnectionString;

    public List<PlatformProcess> Silos { get; } = [];

    public List<PlatformProcess> Fronts { get; } = [];

    public string DatabaseConnectionString => _database;

    /// <summary>Settings every silo started later gets too (restarts keep the cluster's configuration).</summary>
    public IReadOnlyDictionary<string, string>? SiloSettings { get; set; }

    /// <summary>Settings every front started later gets too.</summary>
    public IReadOnlyDictionary<string, string>? FrontSettings { get; set; }

    public async Task StartAsync(int silos, int fronts, IReadOnlyDictionary<string, string>? frontEnvironment = null, IReadOnlyDictionary<string, string>? siloEnvironment = null)
    {
        FrontSettings = frontEnvironment;
        SiloSettings = siloEnvironment;
        _database = await _servers.NewDatabaseAsync();
        var started = Enumerable.Range(0, silos).Select(_ => StartSiloAsync()).ToList();
        await Task.WhenAll(started);
        await Task.WhenAll(Enumerable.Range(0, fronts).Select(_ => StartFrontAsync()));
    }

    /// <summary>The silo host to run: the platform's own, or one with room kinds registered.</summary>
    public string SiloDll { get; set; } = Repo.SiloDll;

    public async Task<PlatformProcess> StartSiloAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var silo = PlatformProcess.Start($"silo{Interlocked.Increment(ref _silosStarted) - 1}", SiloDll, SiloEnvironment(extra), Ports.Free());
        Silos.Add(silo);
        await silo.WaitForOutputAsync("Started silo", TimeSpan.FromSeconds(90));
        return silo;
    }

    public async Task<PlatformProcess> StartFrontAsync(IReadOnlyDictionary<string, string>? extra = null, int? port = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Hosting__Mode"] = "Cluster",
            ["ConnectionStrings__Redis"] = RedisConnectionString,
            ["Orleans__ClusterId"] = _clusterId,
            ["Orleans__ServiceId"] = _clusterId,
            ["Auth__SigningKey"] = Tokens.SigningKey,
            ["Auth__AllowedOrigins__0"] = "https://allowed.example",
            ["Delivery__RenewPeriod"] = "00:00:01",
            ["Delivery__UserRenewPeriod"] = "00:00:01",

            // Seconds per front start; WarmUpTests turns it on and checks it.
            ["WarmUp__Enabled"] = "false",
        };
        foreach (var (key, value) in (FrontSettings ?? new Dictionary<string, string>()).Concat(extra ?? new Dictionary<string, string>()))
        {
            environment[key] = value;
        }

        var front = PlatformProcess.Start($"front{Interlocked.Increment(ref _frontsStarted) - 1}", Repo.WebFrontDll, environment, port ?? Ports.Free());
        Fronts.Add(front);
        await front.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return front;
    }

    public Dictionary<string, string> SiloEnvironment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = RedisConnectionString,
            ["ConnectionStrings__Postgres"] = _database,
            ["Orleans__ClusterId"] = _clusterId,
            ["Orleans__ServiceId"] = _clusterId,
            ["Orleans__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Orleans__AdvertisedIP"] = "127.0.0.1",
            ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
            ["Orleans__Membership__NumMissedProbesLimit"] = "2",
            ["Orleans__Membership__NumVotesForDeathDeclaration"] = "1",

            // When probes alone do not convict a dead silo, its stale I-am-alive row does: 2 × 5 s.
            ["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
            ["Orleans__Membership__NumMissedTableIAmAliveLimit"] = "2",
            ["Rooms__FrontLease"] = "00:00:10",
        };
        foreach (var (key, value) in (SiloSettings ?? new Dictionary<string, string>()).Concat(extra ?? new Dictionary<string, string>()))
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>
    /// A rolling-deploy step: SIGTERM to silo <paramref name="index"/>, wait for its exit (it hands
    /// its rooms off on the way), then a new silo in its place.
    /// </summary>
    public async Task RestartSiloAsync(int index)
    {
        var old = Silos[index];
        await old.StopAsync(TimeSpan.FromSeconds(60));
        Assert.True(old.Exited.IsCompleted, $"{old.Name} did not stop");
        var fresh = await StartSiloAsync();
        Silos.Remove(fresh);
        Silos[index] = fresh;
        Retired.Add(old);

        // As a deploy waits for readiness before the next step: the fronts reach the cluster again.
        foreach (var front in Fronts)
        {
            await front.WaitReadyAsync(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>A rolling-deploy step for a front: SIGTERM (it drains with 1001), then a new front on the same port.</summary>
    public async Task RestartFrontAsync(int index)
    {
        var old = Fronts[index];
        await old.StopAsync(TimeSpan.FromSeconds(60));
        var fresh = await StartFrontAsync(port: old.HttpPort);
        Fronts.Remove(fresh);
        Fronts[index] = fresh;
        Retired.Add(old);
    }

    /// <summary>Processes replaced by restarts, kept for their output.</summary>
    public List<PlatformProcess> Retired { get; } = [];

    /// <summary>Stops every process gracefully (SIGTERM), as a full redeploy would.</summary>
    public async Task StopAllAsync()
    {
        await Task.WhenAll(Fronts.Select(f => f.StopAsync()));
        await Task.WhenAll(Silos.Select(s => s.StopAsync()));
        Fronts.Clear();
        Silos.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        // MESSAGING_TEST_LOGS=<folder> keeps every process's output, for looking into a failure.
        if (Environment.GetEnvironmentVariable("MESSAGING_TEST_LOGS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            foreach (var process in Fronts.Concat(Silos).Concat(Retired))
            {
                await File.WriteAllTextAsync(Path.Combine(folder, $"{_clusterId}-{process.Name}.log"), process.Output);
            }
        }

        foreach (var process in Fronts.Concat(Silos))
        {
            await process.DisposeAsync();
        }
    }
}
