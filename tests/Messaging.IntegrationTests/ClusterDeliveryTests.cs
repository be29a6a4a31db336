using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Two silos and two fronts as OS processes: members on both fronts see one order. Senders here
/// send as fast as acks come back, past a person's command rate (rate limits have LimitsTests).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ClusterDeliveryTests(ServersFixture servers) : ClusterTest(servers, silos: 2, fronts: 2, FrontSettings.HighCommandRate)
{

    [Fact]
    public async Task Renewals_during_steady_traffic_are_not_taken_for_lost_pushes()
    {
        // Renewals run every second here; a room answers one with its latest seq, whose push can
        // still be on its way to the front. That is not a loss: no range fetch, no new reference.
        const int rooms = 30;
        var senders = new List<TestClient>();
        var readers = new List<TestClient>();
        for (var r = 0; r < rooms; r++)
        {
            var sender = await TestClient.ConnectAsync(Cluster.Fronts[r % 2].SocketUri, $"s{r}");
            var reader = await TestClient.ConnectAsync(Cluster.Fronts[(r + 1) % 2].SocketUri, $"r{r}");
            await sender.JoinAsync($"steady-{r}");
            await reader.JoinAsync($"steady-{r}");
            senders.Add(sender);
            readers.Add(reader);
        }

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        var sent = await Task.WhenAll(senders.Select(async (sender, r) =>
        {
            var n = 0;
            while (DateTime.UtcNow < until)
            {
                var answer = await sender.SendAsync($"steady-{r}", new { n });
                Assert.True(TestClient.Type(answer) == "ack", $"send {n} to steady-{r}: {answer}");
                n++;
            }

            return n;
        }));

        for (var r = 0; r < rooms; r++)
        {
            Assert.Equal(sent[r], (await readers[r].WaitForMessagesAsync($"steady-{r}", sent[r])).Count);
            Assert.Equal(sent[r], (await senders[r].WaitForMessagesAsync($"steady-{r}", sent[r])).Count);
        }

        foreach (var front in Cluster.Fronts)
        {
            var repairs = front.Output.Split('\n').Where(line =>
                line.Contains("gap after seq", StringComparison.Ordinal) || line.Contains("created a new observer reference", StringComparison.Ordinal));
            Assert.True(!repairs.Any(), $"{front.Name}: {string.Join('\n', repairs)}");
        }

        foreach (var client in senders.Concat(readers))
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Members_on_the_senders_front_get_the_stored_copy_from_the_send_answers()
    {
        // Every member on front 0: the room answers each commit to the sending front's call
        // instead of pushing it, and the front delivers it from there. What arrives must be the
        // stored message itself (seq, sender, body, ts, cid), in order, with no range fetched.
        const string room = "answered-here";
        const int perSender = 40;
        var clients = new List<TestClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, $"here{i}");
            await client.JoinAsync(room);
            clients.Add(client);
        }

        var acks = await Task.WhenAll(clients.Take(2).Select(sender =>
            Task.WhenAll(Enumerable.Range(0, perSender).Select(n => sender.SendAsync(room, new { n, by = sender.User }, cid: $"{sender.User}-{n}")))));
        Assert.All(acks.SelectMany(a => a), a => Assert.Equal("ack", TestClient.Type(a)));

        var history = (await clients[2].HistoryAsync(room, limit: 100)).GetProperty("messages").EnumerateArray().Select(Stored).ToList();
        Assert.Equal(Enumerable.Range(1, 2 * perSender).Select(i => (long)i), history.Select(m => m.Seq));
        foreach (var client in clients)
        {
            var received = await client.WaitForMessagesAsync(room, 2 * perSender);
            Assert.Equal(history, received.Select(Stored).ToList());
        }

        // A repeat is answered with its first seq and delivered to nobody again.
        var repeat = await clients[0].SendAsync(room, new { n = 0, by = "here0" }, cid: "here0-0");
        Assert.Equal(history.Single(m => m.Cid == "here0-0").Seq, repeat.GetProperty("seq").GetInt64());
        await clients[2].RequestAsync(new { type = "ping" });
        Assert.All(clients, c => Assert.Equal(2 * perSender, c.Messages(room).Count));

        var repairs = Cluster.Fronts[0].Output.Split('\n').Where(line => line.Contains("gap after seq", StringComparison.Ordinal));
        Assert.True(!repairs.Any(), string.Join('\n', repairs));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }

        static (long Seq, string? From, string Body, long Ts, string? Cid) Stored(JsonElement m) => (
            m.GetProperty("seq").GetInt64(),
            m.GetProperty("from").GetString(),
            m.GetProperty("body").GetRawText(),
            m.GetProperty("ts").GetInt64(),
            m.TryGetProperty("cid", out var cid) ? cid.GetString() : null);
    }

    [Fact]
    public async Task Members_spread_over_two_fronts_receive_every_message_in_the_same_order()
    {
        const string room = "cluster-order";
        const int perSender = 60;
        var clients = new List<TestClient>();
        for (var i = 0; i < 6; i++)
        {
            var front = Cluster.Fronts[i % 2];
            var client = await TestClient.ConnectAsync(front.SocketUri, $"user{i}");
            clients.Add(client);
            var joined = await client.JoinAsync(room);
            Assert.Equal("joined", TestClient.Type(joined));
            Assert.Equal(0, joined.GetProperty("seq").GetInt64());
        }

        // Two senders, one per front, each with many sends in flight at once.
        var senders = new[] { clients[0], clients[1] };
        var acks = await Task.WhenAll(senders.Select(sender =>
            Task.WhenAll(Enumerable.Range(0, perSender).Select(n => sender.SendAsync(room, new { n, by = sender.User }))))).ConfigureAwait(true);

        var ackSeqs = acks.SelectMany(a => a).Select(a =>
        {
            Assert.Equal("ack", TestClient.Type(a));
            return a.GetProperty("seq").GetInt64();
        }).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 2 * perSender).Select(i => (long)i), ackSeqs);

        var expected = await clients[0].WaitForMessagesAsync(room, 2 * perSender);
        var order = expected.Select(Describe).ToList();
        Assert.Equal(Enumerable.Range(1, 2 * perSender).Select(i => (long)i), expected.Select(m => m.GetProperty("seq").GetInt64()));
        foreach (var client in clients)
        {
            var received = await client.WaitForMessagesAsync(room, 2 * perSender);
            Assert.Equal(order, received.Select(Describe).ToList());
        }

        // Nothing beyond the 120: no duplicate arrived late.
        await clients[5].RequestAsync(new { type = "ping" });
        Assert.All(clients, c => Assert.Equal(2 * perSender, c.Messages(room).Count));

        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_senders_messages_are_stored_in_the_order_it_sent_them()
    {
        const string room = "sender-order";
        const int perSender = 80;
        await using var reader = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "order-reader");
        await reader.JoinAsync(room);
        var senders = new List<TestClient>();
        for (var i = 0; i < 3; i++)
        {
            senders.Add(await TestClient.ConnectAsync(Cluster.Fronts[i % 2].SocketUri, $"order-sender{i}"));
        }

        // Every frame is on the wire before the next is written; none waits for its ack, so all
        // are in flight together, as a chatty client's are.
        await Task.WhenAll(senders.Select(async sender =>
        {
            for (var n = 0; n < perSender; n++)
            {
                await sender.SendRawAsync(JsonSerializer.Serialize(new { type = "send", id = 1000 + n, room, body = new { n } }));
            }
        }));

        var messages = await reader.WaitForMessagesAsync(room, 3 * perSender);
        Assert.Equal(Enumerable.Range(1, 3 * perSender).Select(i => (long)i), messages.Select(m => m.GetProperty("seq").GetInt64()));
        foreach (var sender in senders)
        {
            var sent = messages.Where(m => m.GetProperty("from").GetString() == sender.User).Select(m => m.GetProperty("body").GetProperty("n").GetInt32());
            Assert.Equal(Enumerable.Range(0, perSender), sent);
            await sender.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_seq_taken_by_another_writer_is_never_reused_while_rooms_share_commits()
    {
        // Six rooms commit at once (rooms on one silo share transactions); in three of them
        // another writer (a stand-in for a duplicate activation) has taken the next seq.
        var rooms = Enumerable.Range(0, 6).Select(i => $"taken-seq-{i}").ToList();
        await using var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "taken-writer");
        foreach (var room in rooms)
        {
            await client.JoinAsync(room);
            Assert.Equal(1, (await client.SendAsync(room, "first")).GetProperty("seq").GetInt64());
        }

        await using (var connection = new Npgsql.NpgsqlConnection(Cluster.DatabaseConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            foreach (var room in rooms.Where((_, i) => i % 2 == 0))
            {
                await using var insert = new Npgsql.NpgsqlCommand("INSERT INTO messages (room, seq, sender, body, ts) VALUES (@room, 2, 'intruder', '\"x\"', 0)", connection);
                insert.Parameters.AddWithValue("room", room);
                await insert.ExecuteNonQueryAsync();
            }
        }

        const int perRoom = 10;
        var acks = await Task.WhenAll(rooms.Select(room => Task.WhenAll(Enumerable.Range(0, perRoom).Select(n => client.SendAsync(room, new { n })))));

        for (var i = 0; i < rooms.Count; i++)
        {
            var first = i % 2 == 0 ? 3 : 2;
            Assert.All(acks[i], a => Assert.Equal("ack", TestClient.Type(a)));
            Assert.Equal(Enumerable.Range(first, perRoom).Select(v => (long)v), acks[i].Select(a => a.GetProperty("seq").GetInt64()).Order());

            var history = (await client.HistoryAsync(rooms[i], limit: 100)).GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(1, first - 1 + perRoom).Select(v => (long)v), history.Select(m => m.GetProperty("seq").GetInt64()));
            Assert.Equal(i % 2 == 0 ? "intruder" : "taken-writer", history[1].GetProperty("from").GetString());
        }
    }

    [Fact]
    public async Task History_pages_backwards_with_before_and_limit()
    {
        const string room = "cluster-history";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        for (var i = 1; i <= 7; i++)
        {
            Assert.Equal(i, (await alice.SendAsync(room, $"m{i}")).GetProperty("seq").GetInt64());
        }

        var latest = await bob.HistoryAsync(room, limit: 3);
        Assert.Equal([5L, 6L, 7L], Seqs(latest));
        var older = await bob.HistoryAsync(room, before: 5, limit: 3);
        Assert.Equal([2L, 3L, 4L], Seqs(older));
        var first = await bob.HistoryAsync(room, before: 2);
        Assert.Equal([1L], Seqs(first));
        var message = first.GetProperty("messages")[0];
        Assert.Equal("alice", message.GetProperty("from").GetString());
        Assert.Equal("m1", message.GetProperty("body").GetString());
        Assert.Equal(room, message.GetProperty("room").GetString());
        Assert.False(message.TryGetProperty("type", out _));
        Assert.True(message.GetProperty("ts").GetInt64() > 1_600_000_000_000);
    }

    [Fact]
    public async Task A_cid_retry_returns_the_first_seq_and_stores_nothing_new()
    {
        const string room = "cluster-cid";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var aliceElsewhere = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await bob.JoinAsync(room);

        var first = await alice.SendAsync(room, "hello", cid: "c-1");
        var retry = await aliceElsewhere.SendAsync(room, "hello again", cid: "c-1");
        var otherSender = await bob.SendAsync(room, "bob's own c-1", cid: "c-1");

        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal(1, retry.GetProperty("seq").GetInt64());
        Assert.Equal(2, otherSender.GetProperty("seq").GetInt64());

        var history = await bob.HistoryAsync(room);
        Assert.Equal([1L, 2L], Seqs(history));
        Assert.Equal("hello", history.GetProperty("messages")[0].GetProperty("body").GetString());
        var delivered = await bob.WaitForMessagesAsync(room, 2);
        Assert.Equal("c-1", delivered[0].GetProperty("cid").GetString());
    }

    [Fact]
    public async Task The_same_cid_in_many_rooms_is_new_in_each_and_a_repeat_only_in_its_own()
    {
        // Sent at once, the rooms' commits share transactions on each silo; a refused INSERT looks
        // up the cids of all of them at once, and a repeat must be matched in its own room only.
        var rooms = Enumerable.Range(0, 24).Select(r => $"cid-rooms-{r}").ToArray();
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var aliceElsewhere = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "alice");
        await Task.WhenAll(rooms.Select(alice.JoinAsync));

        var firsts = await Task.WhenAll(rooms.Select(room => alice.SendAsync(room, "first", cid: "same")));
        var repeats = await Task.WhenAll(rooms.Select(room => aliceElsewhere.SendAsync(room, "again", cid: "same")));
        // Every other room's second send has no cid, so shared transactions mix rows with and without.
        var seconds = await Task.WhenAll(rooms.Select((room, r) => alice.SendAsync(room, "second", cid: r % 2 == 0 ? "next" : null)));

        for (var r = 0; r < rooms.Length; r++)
        {
            Assert.True(TestClient.Type(firsts[r]) == "ack", $"{rooms[r]}: {firsts[r]}");
            Assert.Equal(1, firsts[r].GetProperty("seq").GetInt64());
            Assert.Equal(1, repeats[r].GetProperty("seq").GetInt64());
            Assert.Equal(2, seconds[r].GetProperty("seq").GetInt64());
        }

        var histories = await Task.WhenAll(rooms.Select(room => alice.HistoryAsync(room)));
        for (var r = 0; r < rooms.Length; r++)
        {
            var history = histories[r];
            Assert.Equal([1L, 2L], Seqs(history));
            Assert.Equal(["first", "second"], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()));
            var second = history.GetProperty("messages")[1];
            Assert.Equal(r % 2 == 0 ? "next" : null, second.TryGetProperty("cid", out var cid) ? cid.GetString() : null);
        }
    }

    private static long[] Seqs(JsonElement history) =>
        history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray();

    private static string Describe(JsonElement message) =>
        $"{message.GetProperty("seq").GetInt64()}:{message.GetProperty("from").GetString()}:{message.GetProperty("body").GetRawText()}";
}
