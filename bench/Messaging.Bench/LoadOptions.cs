using System.Globalization;

namespace Messaging.Bench;

/// <summary>
/// One run's shape. Each scenario has a preset (the workloads); any flag overrides it.
/// The tool refuses any target that is not loopback, and every loop is bounded in count and time.
/// </summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        usage: Messaging.Bench SCENARIO --target ours|signalr --url ws://127.0.0.1:PORT/PATH --key SIGNING_KEY [flags]
               Messaging.Bench compare OURS.json BASELINE.json [OURS.json BASELINE.json ...] (more pairs: means over the rounds)
          SCENARIO: fanout | chat | game | hotroom | idle | storm
          flags: --connections N --room-size N --publishers N (0 = all) --rates R1,R2,.. (messages/s in total; steps)
                 --window N (outstanding sends per publisher when no rate) --body BYTES --signal true|false
                 --cid true|false (every send carries a cid, as the client libraries send; ours only)
                 --seconds S --warmup S --prewarm S --connect-rate N/s (0 = unbounded) --connect-concurrency N
                 --base N (connections opened and kept before the measured ones; idle) --p99-limit MS --pids P1,P2,.. (server processes; children included) --label TEXT --json FILE
        """;

    public required string Scenario { get; init; }

    public string Target { get; init; } = "ours";

    public required Uri Url { get; init; }

    public required string Key { get; init; }

    public int Connections { get; init; }

    public int RoomSize { get; init; }

    /// <summary>Connections opened, joined and kept before the measured ones, in rooms of their own (idle's base wave).</summary>
    public int BaseConnections { get; init; }

    public int Publishers { get; init; }

    public IReadOnlyList<double> Rates { get; init; } = [];

    public int Window { get; init; } = 8;

    public int BodyBytes { get; init; } = 100;

    public bool Signal { get; init; }

    /// <summary>Every send carries a cid (our protocol's retry key), as the client libraries always send one.</summary>
    public bool Cid { get; init; }

    public double Seconds { get; init; } = 10;

    public double Warmup { get; init; } = 2;

    /// <summary>Seconds of unrecorded traffic at the first rate before the first step, so JIT tiering is done.</summary>
    public double Prewarm { get; init; }

    public double ConnectRate { get; init; }

    public int ConnectConcurrency { get; init; } = 64;

    public double P99LimitMs { get; init; } = 50;

    public IReadOnlyList<int> Pids { get; init; } = [];

    public string Label { get; init; } = "run";

    public string? JsonFile { get; init; }

    public int Rooms => Math.Max(1, Connections / RoomSize);

    public int PublisherCount => Publishers <= 0 ? Connections : Math.Min(Publishers, Connections);

    public static LoadOptions? Parse(string[] args)
    {
        if (args.Length == 0)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--url", out var url) || !values.TryGetValue("--key", out var key))
        {
            return null;
        }

        var uri = new Uri(url);
        if (!uri.IsLoopback)
        {
            throw new ArgumentException("The load tool only targets loopback addresses.");
        }

        var preset = Preset(args[0], uri, key);
        if (preset is null)
        {
            return null;
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Real(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        IReadOnlyList<T> List<T>(string name, IReadOnlyList<T> fallback, Func<string, T> parse) =>
            values.TryGetValue(name, out var v) ? [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(parse)] : fallback;

        var options = preset with
        {
            Target = values.GetValueOrDefault("--target") ?? "ours",
            Connections = Math.Clamp(Int("--connections", preset.Connections), 1, 50_000),
            RoomSize = Math.Clamp(Int("--room-size", preset.RoomSize), 1, 50_000),
            BaseConnections = Math.Clamp(Int("--base", preset.BaseConnections), 0, 50_000),
            Publishers = Int("--publishers", preset.Publishers),
            Rates = List("--rates", preset.Rates, s => double.Parse(s, CultureInfo.InvariantCulture)),
            Window = Math.Clamp(Int("--window", preset.Window), 1, 1000),
            BodyBytes = Math.Clamp(Int("--body", preset.BodyBytes), 40, 60_000),
            Signal = values.TryGetValue("--signal", out var signal) ? bool.Parse(signal) : preset.Signal,
            Cid = values.TryGetValue("--cid", out var cid) ? bool.Parse(cid) : preset.Cid,
            Seconds = Math.Clamp(Real("--seconds", preset.Seconds), 1, 600),
            Warmup = Math.Clamp(Real("--warmup", preset.Warmup), 0, 60),
            Prewarm = Math.Clamp(Real("--prewarm", preset.Prewarm), 0, 120),
            ConnectRate = Real("--connect-rate", preset.ConnectRate),
            ConnectConcurrency = Math.Clamp(Int("--connect-concurrency", preset.ConnectConcurrency), 1, 1000),
            P99LimitMs = Real("--p99-limit", preset.P99LimitMs),
            Pids = List("--pids", Array.Empty<int>(), s => int.Parse(s, CultureInfo.InvariantCulture)),
            Label = values.GetValueOrDefault("--label") ?? preset.Label,
            JsonFile = values.GetValueOrDefault("--json"),
        };
        return options.Target is "ours" or "signalr" ? options : null;
    }

    /// <summary>The workloads.</summary>
    private static LoadOptions? Preset(string scenario, Uri url, string key) => scenario switch
    {
        // 1,000 connections in 10 rooms of 100, 10 publishers; total rate stepped up until p99 > 50 ms.
        // The steps are 50 to 100 apart where SignalR gives out (350 to 1,000 msgs/s; 100 to 200 made
        // the headline jump by up to a third with the step each side last passed), and they go on to
        // 8,000: once a front's pushes and socket writes carry several messages each, ours held p99
        // under 50 ms to 5,000 msgs/s, and a ladder that stopped at 1,000 reported its own top, not
        // the platform's. Two failed steps in a row end the run.
        "fanout" => new LoadOptions
        {
            Scenario = scenario, Url = url, Key = key, Connections = 1000, RoomSize = 100, Publishers = 10,
            Rates = [100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 2000, 2400, 3000, 4000, 5000, 6000, 8000, 10000, 12000, 16000], Seconds = 5, Warmup = 2, Prewarm = 10, ConnectRate = 500,
        },

        // 5,000 connections in 2,500 rooms of 2, each sending every 2 s: 2,500 messages/s. The
        // prewarm covers JIT tiering: at full rate both of our servers were still compiling 1,500
        // to 2,500 methods per 5 s (0.5 to 0.75 of a core) until about 15 s in (dotnet-counters).
        "chat" => new LoadOptions
        {
            Scenario = scenario, Url = url, Key = key, Connections = 5000, RoomSize = 2, Publishers = 0,
            Rates = [2500], Seconds = 10, Warmup = 4, Prewarm = 20, ConnectRate = 1000,
        },

        // 40 rooms of 8 players, each signalling at 20 Hz.
        "game" => new LoadOptions
        {
            Scenario = scenario, Url = url, Key = key, Connections = 320, RoomSize = 8, Publishers = 0,
            Rates = [6400], Signal = true, BodyBytes = 64, Seconds = 10, Warmup = 2, Prewarm = 6, ConnectRate = 500,
        },

        // 20 members of one room, each keeping 8 sends in flight.
        "hotroom" => new LoadOptions
        {
            Scenario = scenario, Url = url, Key = key, Connections = 20, RoomSize = 20, Publishers = 0,
            Window = 8, Seconds = 10, Warmup = 2, Prewarm = 4,
        },

        // 10,000 connections in rooms of 10, no traffic: server memory per connection. A base wave of
        // 1,000 (in 100 rooms of its own) comes first and stays open, so what the first connections
        // cost once (compiled code, pools, database backends, tables that fill as they are touched)
        // is in the "before" sample on both targets, and the figure is the cost of each further one.
        "idle" => new LoadOptions
        {
            Scenario = scenario, Url = url, Key = key, Connections = 10_000, RoomSize = 10, BaseConnections = 1000, Seconds = 10, ConnectRate = 2000,
        },

        // 10,000 connections connecting and joining as fast as the server lets them.
        "storm" => new LoadOptions
        {
            Scenario = scenario, Url = url, Key = key, Connections = 10_000, RoomSize = 10, Seconds = 1, ConnectRate = 0, ConnectConcurrency = 200,
        },
        _ => null,
    };
}
