using System.Collections.Concurrent;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// kill -9 of a silo while clients send without pause: every acked message survives, seq has no
/// gap and no reuse, cid retries across the failure store once, and members keep receiving.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SiloFailureTests(ServersFixture servers) : ClusterTest(servers, silos: 2, fronts: 2)
{
    private const int Rooms = 4;
    private const int PerRoom = 60;

    [Fact]
    public async Task Killing_a_silo_mid_traffic_loses_no_acked_message_and_reuses_no_seq()
    {
        var rooms = Enumerable.Range(0, Rooms).Select(i => $"kill-{i}").ToArray();
        var receivers = new List<TestClient>();
        foreach (var room in rooms)
        {
            var receiver = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, $"reader-{room}");
            await receiver.JoinAsync(room);
            receivers.Add(receiver);
        }

        var acked = new ConcurrentDictionary<(string Room, string Cid), long>();
        var halfway = new CountdownEvent(Rooms);
        var senders = rooms.Select(async room =>
        {
            await using var sender = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, $"writer-{room}");
            for (var n = 0; n < PerRoom; n++)
            {
                var cid = $"{room}-{n}";
                acked[(room, cid)] = await sender.SendUntilAckedAsync(room, new { n }, cid, TimeSpan.FromSeconds(15));
                if (n == PerRoom / 3)
                {
                    halfway.Signal();
                }
            }
        }).ToList();

        await Task.Run(() => halfway.Wait(TimeSpan.FromSeconds(60)));
        await Cluster.Silos[0].KillAsync();
        await Task.WhenAll(senders);

        await using var checker = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "checker");
        foreach (var room in rooms)
        {
            var history = await ReadAllHistoryAsync(checker, room);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(m => m.GetProperty("seq").GetInt64()));
            var byCid = history.ToDictionary(m => m.GetProperty("cid").GetString()!, m => m.GetProperty("seq").GetInt64());
            Assert.Equal(PerRoom, byCid.Count);
            foreach (var ((ackRoom, cid), seq) in acked.Where(a => a.Key.Room == room))
            {
                Assert.True(byCid.TryGetValue(cid, out var stored), $"acked {cid} is missing from history");
                Assert.Equal(seq, stored);
            }
        }

        // A retry of an old cid after the kill answers the first seq and stores nothing.
        await using var again = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "writer-kill-0");
        var retry = await again.SendAsync("kill-0", "again", cid: "kill-0-0");
        Assert.Equal(acked[("kill-0", "kill-0-0")], retry.GetProperty("seq").GetInt64());
        Assert.Equal(PerRoom, await CountRowsAsync("kill-0"));

        // The readers on the surviving front got every message, in order, once.
        for (var i = 0; i < Rooms; i++)
        {
            var received = await receivers[i].WaitForMessagesAsync(rooms[i], PerRoom, TimeSpan.FromSeconds(60));
            Assert.Equal(Enumerable.Range(1, PerRoom).Select(s => (long)s), received.Select(m => m.GetProperty("seq").GetInt64()));
            await receivers[i].DisposeAsync();
        }
    }

    private static async Task<List<JsonElement>> ReadAllHistoryAsync(TestClient client, string room)
    {
        var all = new List<JsonElement>();
        long? before = null;
        while (true)
        {
            var page = await client.HistoryAsync(room, before, limit: 100);
            var messages = page.GetProperty("messages").EnumerateArray().ToList();
            all.InsertRange(0, messages);
            if (messages.Count < 100)
            {
                return all;
            }

            before = messages[0].GetProperty("seq").GetInt64();
        }
    }

    private async Task<long> CountRowsAsync(string room)
    {
        await using var connection = new NpgsqlConnection(Cluster.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM messages WHERE room = @room", connection);
        command.Parameters.AddWithValue("room", room);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
