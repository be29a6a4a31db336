using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>`join` with `since`: the missed messages, then live ones, with no gap and no repeat.</summary>
[Collection(PlatformCollection.Name)]
public sealed class RecoveryTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2, FrontSettings.HighCommandRate)
{
    [Fact]
    public async Task A_client_that_rejoins_with_since_gets_exactly_what_it_missed_then_live_messages()
    {
        const string room = "recover";
        const int total = 150;
        await using var sender = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "sender");
        var reader = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "reader");
        await reader.JoinAsync(room);

        using var stop = new CancellationTokenSource();
        var acked = 0;
        var sending = Task.Run(async () =>
        {
            for (var n = 1; n <= total; n++)
            {
                await sender.SendAsync(room, n, cid: $"r{n}");
                Volatile.Write(ref acked, n);
            }
        });

        // Read a few, drop the connection, let the sender run on, then come back while it still sends.
        var seen = await reader.WaitForMessagesAsync(room, 10);
        await reader.DisposeAsync();
        var lastSeen = seen[^1].GetProperty("seq").GetInt64();
        await WaitUntilAsync(() => Volatile.Read(ref acked) >= lastSeen + 40);

        await using var back = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "reader");
        var joined = await back.RequestAsync(new { type = "join", room, since = lastSeen });
        Assert.True(joined.GetProperty("recovered").GetBoolean());
        Assert.True(joined.GetProperty("seq").GetInt64() >= lastSeen + 40);
        await sending;

        var received = await back.WaitForMessagesAsync(room, total - (int)lastSeen);
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, total - (int)lastSeen).Select(i => (long)i), received.Select(Seq));
        Assert.Equal(received.Select(m => m.GetProperty("body").GetInt32()), received.Select(m => (int)Seq(m)));

        // Nothing more arrives: no duplicate was queued behind the last one.
        await back.RequestAsync(new { type = "ping" });
        Assert.Equal(total - (int)lastSeen, back.Messages(room).Count);
    }

    [Fact]
    public async Task More_than_1000_missed_delivers_none_answers_recovered_false_and_history_pages_them()
    {
        const string room = "recover-far";
        await using var sender = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "sender");
        for (var batch = 0; batch < 11; batch++)
        {
            await Task.WhenAll(Enumerable.Range(batch * 100, 100).Select(n => sender.SendAsync(room, n)));
        }

        await using var reader = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "reader");
        var joined = await reader.RequestAsync(new { type = "join", room, since = 50 });
        Assert.False(joined.GetProperty("recovered").GetBoolean());
        Assert.Equal(1100, joined.GetProperty("seq").GetInt64());

        // Exactly 1000 missed still recovers.
        await using var near = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "near");
        var nearJoin = await near.RequestAsync(new { type = "join", room, since = 100 });
        Assert.True(nearJoin.GetProperty("recovered").GetBoolean());
        Assert.Equal(1000, (await near.WaitForMessagesAsync(room, 1000)).Count);

        await sender.SendAsync(room, "live");
        var live = await reader.WaitForMessagesAsync(room, 1);
        Assert.Equal(1101, Seq(live[0]));
        Assert.Single(reader.Messages(room));

        var paged = new List<long>();
        long? before = 1101;
        while (before > 51)
        {
            var page = await reader.HistoryAsync(room, before, limit: 100);
            var seqs = page.GetProperty("messages").EnumerateArray().Select(Seq).ToList();
            paged.InsertRange(0, seqs);
            before = seqs[0];
        }

        Assert.Equal(Enumerable.Range(1, 1100).Select(i => (long)i), paged);
    }

    private static long Seq(JsonElement message) => message.GetProperty("seq").GetInt64();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestClient.DefaultTimeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            await Task.Delay(20);
        }
    }
}
