using System.Collections.Concurrent;
using Messaging.Client;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// A rolling deploy of the whole cluster while clients send: every silo, then every front, is
/// stopped with SIGTERM and replaced, one at a time. Afterwards every acked message is stored
/// once, seqs have no gap, and every client saw every message exactly once, in order.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RollingRestartTests(ServersFixture servers) : ClusterTest(servers, silos: 3, fronts: 2)
{
    private const int Rooms = 3;

    [Fact]
    public async Task Restarting_every_silo_and_front_one_at_a_time_loses_and_repeats_nothing()
    {
        var forward = new[] { Cluster.Fronts[0].SocketUri, Cluster.Fronts[1].SocketUri };
        var backward = forward.Reverse().ToArray();
        var rooms = Enumerable.Range(0, Rooms).Select(i => $"rolling-{i}").ToArray();
        var writers = new List<MessagingClient>();
        var readers = new List<MessagingClient>();
        var logs = new List<(string Who, string Room, MessageLog Log)>();
        foreach (var room in rooms)
        {
            var writer = await MessagingClient.ConnectAsync(ClientOptions.For($"w-{room}", forward));
            var reader = await MessagingClient.ConnectAsync(ClientOptions.For($"r-{room}", backward));
            await writer.JoinAsync(room);
            await reader.JoinAsync(room);
            writers.Add(writer);
            readers.Add(reader);
            logs.Add(($"writer of {room}", room, MessageLog.Collect(writer)));
            logs.Add(($"reader of {room}", room, MessageLog.Collect(reader)));
        }

        var acked = new ConcurrentDictionary<string, long>();
        var ackCounts = new int[Rooms];
        using var stop = new CancellationTokenSource();
        var sending = Enumerable.Range(0, Rooms).Select(r => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var cid = $"{rooms[r]}-{n}";
                acked[cid] = await SendUntilAckedAsync(writers[r], rooms[r], cid);
                Interlocked.Increment(ref ackCounts[r]);
                await Task.Delay(25);
            }
        })).ToList();

        // Each step waits for traffic to flow again in every room before the next one starts.
        async Task ProgressAsync()
        {
            var marks = ackCounts.ToArray();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (Enumerable.Range(0, Rooms).Any(r => Volatile.Read(ref ackCounts[r]) < marks[r] + 5))
            {
                Assert.True(DateTime.UtcNow < deadline, $"sends stalled at {string.Join(",", ackCounts)}");
                Assert.DoesNotContain(sending, t => t.IsFaulted);
                await Task.Delay(50);
            }
        }

        await ProgressAsync();
        for (var i = 0; i < Cluster.Silos.Count; i++)
        {
            await Cluster.RestartSiloAsync(i);
            await ProgressAsync();
        }

        for (var i = 0; i < Cluster.Fronts.Count; i++)
        {
            await Cluster.RestartFrontAsync(i);
            await ProgressAsync();
        }

        await stop.CancelAsync();
        await Task.WhenAll(sending);

        // A last message per room after every ack: once a client has seen it, a repeat would have shown.
        var last = new long[Rooms];
        for (var r = 0; r < Rooms; r++)
        {
            last[r] = await SendUntilAckedAsync(writers[r], rooms[r], $"{rooms[r]}-end");
        }

        for (var r = 0; r < Rooms; r++)
        {
            var room = rooms[r];
            var history = await ReadAllHistoryAsync(readers[r], room);
            Assert.Equal(Enumerable.Range(1, (int)last[r]).Select(i => (long)i), history.Select(m => m.Seq));
            var stored = history.ToDictionary(m => m.Cid!, m => m.Seq);
            var sent = acked.Where(a => a.Key.StartsWith(room + "-", StringComparison.Ordinal)).ToList();
            Assert.Equal(sent.Count + 1, stored.Count);
            foreach (var (cid, seq) in sent)
            {
                Assert.True(stored.TryGetValue(cid, out var at), $"acked {cid} is not in history");
                Assert.Equal(seq, at);
            }
        }

        foreach (var (who, room, log) in logs)
        {
            var end = last[Array.IndexOf(rooms, room)];
            var seen = await log.WaitUntilAsync(messages => messages.Any(m => m.Room == room && m.Seq == end));
            var seqs = seen.Where(m => m.Room == room).Select(m => m.Seq).ToList();
            Assert.True(seqs.SequenceEqual(Enumerable.Range(1, (int)end).Select(i => (long)i)), $"{who} saw {Describe(seqs)}");
        }

        foreach (var client in writers.Concat(readers))
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>What a careful client does across a restart: resend with the same cid until acked.</summary>
    private static async Task<long> SendUntilAckedAsync(MessagingClient client, string room, string cid)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            try
            {
                return (await client.SendTextAsync(room, cid, cid)).Seq;
            }
            catch (MessagingException ex) when (ex.Code is "unavailable" or "timeout" && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    private static async Task<List<MessageReceived>> ReadAllHistoryAsync(MessagingClient client, string room)
    {
        var history = new List<MessageReceived>();
        long? before = null;
        do
        {
            var page = await client.HistoryAsync(room, before, 100);
            history.InsertRange(0, page.Messages);
            before = page.Messages.Count == 100 ? page.Messages[0].Seq : null;
        }
        while (before is not null);
        return history;
    }

    private static string Describe(List<long> seqs)
    {
        var gaps = seqs.Zip(seqs.Skip(1)).Where(p => p.Second != p.First + 1).Select(p => $"{p.First}->{p.Second}");
        return $"{seqs.Count} messages, breaks at [{string.Join(", ", gaps)}]";
    }
}
