using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Group commit sized by load, on real PostgreSQL: many rooms each sending now and then share
/// transactions once the commit window is on, and every message is still acked and delivered in
/// a gapless order. The window is the largest allowed (100 ms), so that its effect stands far
/// above what two writers alone would gather from the same paced load.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CommitWindowTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, siloEnvironment: WideWindow)
{
    private const int Rooms = 40;
    private const int Rounds = 40;
    private const int WarmUpRounds = 10;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);

    private static readonly Dictionary<string, string> WideWindow = new()
    {
        ["Rooms__CommitWindow"] = "00:00:00.100",
    };

    [Fact]
    public async Task Rooms_sending_now_and_then_share_transactions_and_lose_nothing()
    {
        var clients = new List<TestClient>();
        try
        {
            for (var i = 0; i < Rooms; i++)
            {
                var client = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, $"window-user-{i}");
                clients.Add(client);
                await client.JoinAsync(Room(i));
            }

            // Open loop, as a chat's users send: every room gets a message every 50 ms whether or
            // not the last one was acked, the rooms staggered over those 50 ms, so that commits
            // arrive one at a time (800 a second from 40 rooms). A first phase gives the silo a
            // period of that load to see; the counters cover the second.
            var silo = Cluster.Silos[0].BaseUri;
            var acks = await Task.WhenAll(clients.Select((client, i) => SendPacedAsync(client, i, 0, WarmUpRounds)));
            var before = await PrometheusScrape.ReadAsync(silo);
            acks = [.. acks, .. await Task.WhenAll(clients.Select((client, i) => SendPacedAsync(client, i, WarmUpRounds, Rounds)))];

            foreach (var ack in await Task.WhenAll(acks.SelectMany(a => a)))
            {
                Assert.Equal("ack", TestClient.Type(ack));
            }

            var after = await PrometheusScrape.ReadAsync(silo);
            var transactions = after.Sum("messaging_commit_batch_rooms_count") - before.Sum("messaging_commit_batch_rooms_count");
            var roomCommits = after.Sum("messaging_commit_batch_rooms_sum") - before.Sum("messaging_commit_batch_rooms_sum");
            Assert.True(transactions > 0, "no transaction was counted");

            // Without the window, commits arriving every 1.25 ms leave in transactions of one or
            // two rooms; with it, each transaction gathers a tenth of a second of them.
            Assert.True(roomCommits / transactions >= 10, $"{roomCommits} room commits in {transactions} transactions");

            for (var i = 0; i < Rooms; i++)
            {
                var seqs = (await clients[i].WaitForMessagesAsync(Room(i), Rounds)).Select(m => m.GetProperty("seq").GetInt64()).ToList();
                Assert.Equal(Enumerable.Range(1, Rounds).Select(n => (long)n), seqs);
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static string Room(int i) => $"window-{i}";

    /// <summary>Sends rounds [from, to) into room i at the pace, starting i/40 of a pace late; returns the pending answers.</summary>
    private static async Task<List<Task<System.Text.Json.JsonElement>>> SendPacedAsync(TestClient client, int i, int from, int to)
    {
        var answers = new List<Task<System.Text.Json.JsonElement>>();
        await Task.Delay(Pace * i / Rooms);
        for (var round = from; round < to; round++)
        {
            answers.Add(client.SendAsync(Room(i), new { round }));
            await Task.Delay(Pace);
        }

        return answers;
    }
}
