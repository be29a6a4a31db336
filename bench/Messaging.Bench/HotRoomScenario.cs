using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Messaging.Bench;

/// <summary>
/// One busy room: every client keeps <c>window</c> sends in flight and sends the next as each ack
/// arrives. Measures acked messages per second and ack latency; every ack must carry a new seq.
/// </summary>
internal static class HotRoomScenario
{
    public static async Task<BenchResult> RunAsync(BenchOptions options)
    {
        var clients = new List<ClientWebSocket>();
        for (var i = 0; i < options.Clients; i++)
        {
            var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + Jwt.Create($"bench-{i}", options.Key));
            await socket.ConnectAsync(options.Url, CancellationToken.None).ConfigureAwait(false);
            clients.Add(socket);
        }

        var latencies = new List<double>();
        var seqs = new HashSet<long>();
        var errors = 0;
        var errorKinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var stopwatch = Stopwatch.StartNew();
        var deadline = stopwatch.Elapsed + options.Duration;
        using var progress = new Timer(_ => Console.Error.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F0}s acked={Volatile.Read(ref errors) + seqs.Count}"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        await Task.WhenAll(clients.Select(async socket =>
        {
            var sentAt = new Dictionary<int, long>();
            var nextId = 0;
            var buffer = new byte[64 * 1024];
            async Task SendOneAsync()
            {
                var id = ++nextId;
                sentAt[id] = Stopwatch.GetTimestamp();
                var frame = $"{{\"type\":\"send\",\"id\":{id},\"room\":\"{options.Room}\",\"body\":{{\"t\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()},\"pad\":\"{new string('x', 64)}\"}}}}";
                await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }

            for (var w = 0; w < options.Window; w++)
            {
                await SendOneAsync().ConfigureAwait(false);
            }

            while (sentAt.Count > 0)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Interlocked.Increment(ref errors);
                    return;
                }

                using var json = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
                var root = json.RootElement;
                var type = root.GetProperty("type").GetString();
                if (type is not ("ack" or "error") || !root.TryGetProperty("id", out var idElement))
                {
                    continue;
                }

                var id = idElement.GetInt32();
                var latency = Stopwatch.GetElapsedTime(sentAt[id]).TotalMilliseconds;
                sentAt.Remove(id);
                lock (latencies)
                {
                    if (type == "ack" && seqs.Add(root.GetProperty("seq").GetInt64()))
                    {
                        latencies.Add(latency);
                    }
                    else
                    {
                        errors++;
                        var kind = type == "ack" ? "duplicate-seq" : root.GetProperty("code").GetString() ?? "error";
                        errorKinds[kind] = errorKinds.GetValueOrDefault(kind) + 1;
                    }
                }

                if (stopwatch.Elapsed < deadline)
                {
                    await SendOneAsync().ConfigureAwait(false);
                }
            }
        })).ConfigureAwait(false);

        var elapsed = stopwatch.Elapsed;
        foreach (var socket in clients)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            socket.Dispose();
        }

        latencies.Sort();
        var gaps = seqs.Count == 0 ? 0 : (int)(seqs.Max() - seqs.Min() + 1 - seqs.Count);
        return new BenchResult(options.Label, options.Clients, options.Window, elapsed.TotalSeconds, latencies.Count, latencies.Count / elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count == 0 ? 0 : latencies[^1], errors, gaps, errorKinds);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
