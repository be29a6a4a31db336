using System.Diagnostics;

namespace Messaging.Bench;

/// <summary>
/// Runs one scenario: connect at a bounded rate, join, then traffic steps (paced or windowed),
/// each measured over its window and settled before the next. Every wait is bounded.
/// </summary>
internal sealed class LoadRun
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuietSettle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BaseSettle = TimeSpan.FromSeconds(2);
    private const int BaseRounds = 4;
    private readonly LoadOptions _options;
    private readonly IWireProtocol _protocol;
    private readonly RunMetrics _metrics;
    private readonly List<LoadClient> _clients = [];

    // Connections opened before the measured ones (idle's base wave), kept open, never measured.
    private readonly List<LoadClient> _baseClients = [];

    // The clients the keep-alive loop serves, replaced (never changed) as each wave is complete.
    private volatile LoadClient[] _keepAliveTargets = [];
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    public LoadRun(LoadOptions options)
    {
        _options = options;
        _protocol = options.Target == "signalr" ? new SignalRProtocol() : new OursProtocol(options.Cid);
        _metrics = new RunMetrics(options.Rooms);
    }

    public async Task<RunReport> RunAsync(CancellationToken cancellationToken)
    {
        var memoryAtStart = ProcessStats.Sample(_options.Pids);

        // Serves each wave once it is complete (_keepAliveTargets).
        using var keepAlive = new CancellationTokenSource();
        var keepAliveLoop = KeepAliveLoopAsync(keepAlive.Token);
        if (_options.BaseConnections > 0)
        {
            // A base wave in rooms of its own, so the "before" sample already holds what the first
            // connections cost once (compiled code, pools, database backends, cache tables): the
            // figure per connection is then what each further connection costs, on either target.
            // It comes in rounds with pauses, because the runtime starts counting calls for its
            // optimising recompiles only once compiling goes quiet, and those recompiles (thousands
            // of methods in our silo) are a one-off cost too.
            var metrics = new RunMetrics(1);
            for (var round = 0; round < BaseRounds; round++)
            {
                var size = (_options.BaseConnections / BaseRounds) + (round < _options.BaseConnections % BaseRounds ? 1 : 0);
                await ConnectAllAsync(_baseClients, size, $"base{round}", metrics, cancellationToken).ConfigureAwait(false);
                await Task.Delay(BaseSettle, cancellationToken).ConfigureAwait(false);
            }

            Progress($"base wave: {_baseClients.Count} connected and joined in {BaseRounds} rounds, not measured");
            _keepAliveTargets = [.. _baseClients];
        }

        var memoryBefore = ProcessStats.Sample(_options.Pids);
        var rssBefore = memoryBefore.RssBytes;
        var connectStarted = Stopwatch.GetTimestamp();
        await ConnectAllAsync(_clients, _options.Connections, string.Empty, _metrics, cancellationToken).ConfigureAwait(false);
        var connectSeconds = Stopwatch.GetElapsedTime(connectStarted).TotalSeconds;
        Progress($"connected and joined {_clients.Count} in {connectSeconds:F2} s");
        _keepAliveTargets = [.. _baseClients, .. _clients];
        var steps = new List<StepReport>();
        if (_options.Prewarm > 0 && (_options.Rates.Count > 0 || _options.Scenario == "hotroom"))
        {
            Progress($"prewarm: {_options.Prewarm:F0} s, not recorded");
            await RunStepAsync(_options.Rates.Count > 0 ? _options.Rates[0] : 0, cancellationToken, _options.Prewarm).ConfigureAwait(false);
        }

        if (_options.Rates.Count == 0 && _options.Scenario == "hotroom")
        {
            steps.Add(await RunStepAsync(0, cancellationToken).ConfigureAwait(false));
        }

        var failedInARow = 0;
        foreach (var rate in _options.Rates)
        {
            var step = await RunStepAsync(rate, cancellationToken).ConfigureAwait(false);
            steps.Add(step);
            failedInARow = StepLadder.FailedInARow(failedInARow, step, _options.P99LimitMs);
            if (failedInARow == StepLadder.FailuresToStop && _options.Scenario == "fanout")
            {
                Progress($"p99 over {_options.P99LimitMs} ms twice in a row: stopping the steps");
                break;
            }
        }

        if (_options.Scenario == "idle")
        {
            Progress($"idle for {_options.Seconds:F0} s");
            await Task.Delay(TimeSpan.FromSeconds(_options.Seconds), cancellationToken).ConfigureAwait(false);
        }

        var memoryAfter = ProcessStats.Sample(_options.Pids);
        var rssAfter = memoryAfter.RssBytes;
        await keepAlive.CancelAsync().ConfigureAwait(false);
        await keepAliveLoop.ConfigureAwait(false);
        await CloseAllAsync().ConfigureAwait(false);

        var headline = Headline(steps, connectSeconds, rssBefore, rssAfter, memoryAtStart.RssBytes);

        return new RunReport(
            _options.Scenario, _protocol.Name, _options.Label, DateTimeOffset.UtcNow, Machine(),
            _clients.Count, _options.Rooms, _options.Rates.Count > 0 || _options.Scenario == "hotroom" ? _options.PublisherCount : 0,
            connectSeconds, _metrics.Connect.Summary(), _metrics.Join.Summary(), rssBefore, rssAfter,
            MemoryByProcess(memoryBefore), MemoryByProcess(memoryAfter), steps, headline)
        {
            BaseConnections = _baseClients.Count,
            ServerRssStartBytes = memoryAtStart.RssBytes,
            MemoryMibByProcessStart = MemoryByProcess(memoryAtStart),
        };
    }

    private async Task ConnectAllAsync(List<LoadClient> clients, int count, string wave, RunMetrics metrics, CancellationToken cancellationToken)
    {
        using var gate = new SemaphoreSlim(_options.ConnectConcurrency);
        var started = Stopwatch.GetTimestamp();
        var tasks = new List<Task>(count);
        var failures = 0;
        var rooms = Math.Max(1, count / _options.RoomSize);
        for (var i = 0; i < count; i++)
        {
            if (_options.ConnectRate > 0)
            {
                var due = TimeSpan.FromSeconds(i / _options.ConnectRate) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            var room = i % rooms;
            var client = new LoadClient(i, room, $"b{_runId}{wave}-{room}", _protocol, metrics);
            clients.Add(client);
            tasks.Add(ConnectOneAsync(client));
            if (i % 1000 == 999)
            {
                Progress($"connecting: {i + 1}");
            }
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        if (failures > 0)
        {
            throw new InvalidOperationException($"{failures} of {count} connections failed to connect or join.");
        }

        async Task ConnectOneAsync(LoadClient client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ConnectTimeout);
                await client.ConnectAsync(_options.Url, Jwt.Create($"load{wave}-{client.Index}", _options.Key), timeout.Token).ConfigureAwait(false);
                await client.JoinAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                if (Interlocked.Increment(ref failures) <= 3)
                {
                    Progress($"connection {client.Index} failed: {ex.GetType().Name}: {ex.Message}");
                }
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private async Task<StepReport> RunStepAsync(double rate, CancellationToken cancellationToken, double? seconds = null)
    {
        _metrics.ResetStep();
        var measured = seconds ?? _options.Seconds;
        var publishers = _clients.Take(_options.PublisherCount).ToList();
        var total = TimeSpan.FromSeconds(_options.Warmup + measured);
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(total.TotalSeconds * Stopwatch.Frequency);
        Progress(rate > 0 ? $"step: {rate:F0} messages/s from {publishers.Count} publishers" : $"step: {publishers.Count} publishers x {_options.Window} in flight");

        var tasks = rate > 0
            ? publishers.Select((p, i) => PacedPublisherAsync(p, rate / publishers.Count, i, publishers.Count, started, end, cancellationToken)).ToList()
            : publishers.Select(p => WindowedPublisherAsync(p, end, cancellationToken)).ToList();

        using var progress = new CancellationTokenSource();
        var progressLoop = ProgressLoopAsync(progress.Token);
        await Task.Delay(TimeSpan.FromSeconds(_options.Warmup), cancellationToken).ConfigureAwait(false);
        var before = ProcessStats.Sample(_options.Pids);
        var toolBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var windowStarted = Stopwatch.GetTimestamp();
        var acceptedBefore = Accepted();
        _metrics.Recording = true;
        await Task.Delay(TimeSpan.FromSeconds(measured), cancellationToken).ConfigureAwait(false);
        _metrics.Recording = false;
        var window = Stopwatch.GetElapsedTime(windowStarted).TotalSeconds;
        var after = ProcessStats.Sample(_options.Pids);
        var toolCpu = (Process.GetCurrentProcess().TotalProcessorTime - toolBefore).TotalMilliseconds;
        var windowMessages = Accepted() - acceptedBefore;
        var windowDeliveries = _metrics.WindowDeliveries;

        await Task.WhenAll(tasks).ConfigureAwait(false);
        var expected = await SettleAsync(cancellationToken).ConfigureAwait(false);
        await progress.CancelAsync().ConfigureAwait(false);
        await progressLoop.ConfigureAwait(false);

        var cpu = after.CpuMs - before.CpuMs;
        var byProcess = after.PerRoot.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value.CpuMs - before.PerRoot.GetValueOrDefault(p.Key).CpuMs);
        return new StepReport(
            rate, window, _metrics.Sent, _metrics.Answered, _metrics.PublishedOk.Sum(), windowMessages / window,
            _metrics.Deliveries, expected, Math.Max(0, expected - _metrics.Deliveries), windowDeliveries / window,
            _metrics.Delivery.Summary(), _metrics.Ack.Summary(), _metrics.SeqGaps, _metrics.PublisherGaps, _metrics.Disorder,
            new Dictionary<string, long>(_metrics.Errors),
            cpu, windowDeliveries == 0 ? 0 : cpu / (windowDeliveries / 1000.0), windowMessages == 0 ? 0 : cpu / (windowMessages / 1000.0),
            toolCpu, byProcess);
    }

    // Publishes the server took in: acked sends, or signals written.
    private long Accepted() => _metrics.PublishedOk.Sum();

    private async Task PacedPublisherAsync(LoadClient client, double rate, int index, int count, long started, long end, CancellationToken cancellationToken)
    {
        var interval = Stopwatch.Frequency / rate;

        // Publishers are spread over the first interval so the rate is smooth, not in bursts.
        var next = started + (interval * index / count);
        for (var sent = 0L; sent < 10_000_000; sent++)
        {
            var now = Stopwatch.GetTimestamp();
            if ((long)next >= end)
            {
                return;
            }

            var wait = ((long)next - now) * 1000 / Stopwatch.Frequency;
            if (wait >= 1)
            {
                await Task.Delay((int)wait, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await client.PublishAsync(_options.Signal, _options.BodyBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                _metrics.CountError("send_failed");
                return;
            }

            // Open loop: a publisher that fell behind catches up, but never by more than a second's worth.
            next = Math.Max(next + interval, Stopwatch.GetTimestamp() - Stopwatch.Frequency);
        }
    }

    private async Task WindowedPublisherAsync(LoadClient client, long end, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.OnCredit = async c =>
        {
            if (Stopwatch.GetTimestamp() < end)
            {
                await c.PublishAsync(false, _options.BodyBytes, cancellationToken).ConfigureAwait(false);
            }
            else if (c.Outstanding == 0)
            {
                done.TrySetResult();
            }
        };
        for (var i = 0; i < _options.Window; i++)
        {
            await client.PublishAsync(false, _options.BodyBytes, cancellationToken).ConfigureAwait(false);
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(_options.Warmup + _options.Prewarm + _options.Seconds) + MaxSettle, cancellationToken).ConfigureAwait(false);
        client.OnCredit = null;
    }

    /// <summary>Waits until every accepted publish reached every member, or deliveries stop coming; returns the expected count.</summary>
    private async Task<long> SettleAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var lastCount = -1L;
        var lastChange = started;
        while (Stopwatch.GetElapsedTime(started) < MaxSettle)
        {
            var expected = ExpectedDeliveries();
            var count = _metrics.Deliveries;
            if (count >= expected && _clients.All(c => c.Outstanding == 0))
            {
                return expected;
            }

            if (count != lastCount)
            {
                lastCount = count;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > QuietSettle)
            {
                return expected;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        return ExpectedDeliveries();
    }

    private long ExpectedDeliveries()
    {
        // A stored message reaches every member, the sender too; a signal reaches the others.
        var perMessage = _options.Signal ? _options.RoomSize - 1 : _options.RoomSize;
        return _metrics.PublishedOk.Sum() * perMessage;
    }

    private async Task ProgressLoopAsync(CancellationToken cancellationToken)
    {
        var lastDeliveries = 0L;
        var lastAnswered = 0L;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var deliveries = _metrics.Deliveries;
                var answered = _metrics.Answered;
                Progress($"deliveries/s {deliveries - lastDeliveries}, acks/s {answered - lastAnswered}, errors {_metrics.ErrorCount}, gaps {_metrics.SeqGaps + _metrics.PublisherGaps}{(_metrics.Recording ? $", p99 {_metrics.Delivery.PercentileMilliseconds(0.99):F1} ms" : string.Empty)}");
                lastDeliveries = deliveries;
                lastAnswered = answered;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task KeepAliveLoopAsync(CancellationToken cancellationToken)
    {
        if (_protocol.KeepAlive.IsEmpty)
        {
            return;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                foreach (var client in _keepAliveTargets)
                {
                    await client.KeepAliveAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CloseAllAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await Task.WhenAll(_clients.Concat(_baseClients).Select(c => c.CloseAsync(timeout.Token))).ConfigureAwait(false);
    }

    private IReadOnlyDictionary<string, double> Headline(List<StepReport> steps, double connectSeconds, long rssBefore, long rssAfter, long rssAtStart)
    {
        var h = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (_options.Scenario)
        {
            case "fanout":
                var best = StepLadder.Best(steps, _options.P99LimitMs);
                h["deliveries_per_s_at_p99_le_50ms"] = best?.DeliveriesPerSecond ?? 0;
                h["cpu_ms_per_1000_deliveries"] = best?.CpuMsPer1000Deliveries ?? 0;
                h["delivery_p99_ms"] = best?.DeliveryMs.P99 ?? 0;
                break;
            case "chat":
                var chat = steps[^1];
                h["messages_per_s"] = chat.MessagesPerSecond;
                h["ack_p50_ms"] = chat.AckMs.P50;
                h["ack_p99_ms"] = chat.AckMs.P99;
                h["delivery_p50_ms"] = chat.DeliveryMs.P50;
                h["delivery_p99_ms"] = chat.DeliveryMs.P99;
                h["cpu_ms_per_1000_messages"] = chat.CpuMsPer1000Messages;
                h["losses"] = chat.Losses;
                break;
            case "game":
                var game = steps[^1];
                h["deliveries_per_s"] = game.DeliveriesPerSecond;
                h["delivery_p99_ms"] = game.DeliveryMs.P99;
                h["cpu_ms_per_1000_deliveries"] = game.CpuMsPer1000Deliveries;
                h["dropped"] = game.Losses;
                break;
            case "hotroom":
                var hot = steps[^1];
                h["acked_per_s"] = hot.MessagesPerSecond;
                h["ack_p99_ms"] = hot.AckMs.P99;
                h["deliveries_per_s"] = hot.DeliveriesPerSecond;
                h["losses"] = hot.Losses;
                break;
            case "idle":
                h["memory_bytes_per_connection"] = (rssAfter - rssBefore) / (double)Math.Max(1, _clients.Count);
                if (_baseClients.Count > 0)
                {
                    h["memory_bytes_per_connection_from_start"] = (rssAfter - rssAtStart) / (double)(_clients.Count + _baseClients.Count);
                }

                h["memory_mib_after"] = rssAfter / 1048576.0;
                break;
            case "storm":
                h["seconds_to_connect_and_join"] = connectSeconds;
                h["join_p99_ms"] = _metrics.Join.PercentileMilliseconds(0.99);
                break;
        }

        return h;
    }

    private static Dictionary<string, double> MemoryByProcess(ProcessSample sample) =>
        sample.PerRoot.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => Math.Round(p.Value.RssBytes / 1048576.0, 1));

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";

    private static void Progress(string line) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {line}");
}
