using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Group commit sized by load, on real PostgreSQL: many rooms each sending now and then share
/// transactions once the commit window is on, and every message is still acked and delivered in
/// a gapless order. The window is the largest allowed (100 ms), so that its effect stands far
/// above what the writer alone would gather from the same paced load (the default window is 10 ms).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CommitWindowTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, siloEnvironment: WideWindow)
{
    private const int Rooms = 40;
    private const int Rounds = 60;
    private const int WarmUpRounds = 20;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(50);

    private static readonly Dictionary<string, string> WideWindow = new()
    {
        ["Rooms__CommitWindow"] = "00:00:00.100",
    };

    [Fact]
    public async Task Rooms_sending_now_and_then_share_transactions_and_lose_nothing()
    {
        await using var group = await ClientGroup.JoinEachAsync(Cluster.Fronts[0].SocketUri, Rooms, i => $"window-user-{i}", Room);
        var clients = group.Clients;

        // Open loop, as a chat's users send: every room gets a message every 50 ms whether or
        // not the last one was acked, the rooms staggered over those 50 ms, so that commits
        // arrive one at a time (800 a second from 40 rooms), without a pause from start to end.
        // The counters are read once the first second's sends are all acked (on a busy CI
        // machine the rooms' activations alone can take longer than that), so the silo has
        // seen periods of this load and the window is on for everything they then count.
        var silo = Cluster.Silos[0].BaseUri;
        var warmUps = Enumerable.Range(0, Rooms).Select(_ => new TaskCompletionSource<List<Task<JsonElement>>>()).ToList();
        var loops = clients.Select((client, i) => SendPacedAsync(client, i, warmUps[i])).ToList();
        var warmUp = await Task.WhenAll(warmUps.Select(w => w.Task));
        AssertAcked(await Task.WhenAll(warmUp.SelectMany(a => a)));
        var before = await PrometheusScrape.ReadAsync(silo);
        Assert.False(loops.TrueForAll(l => l.IsCompleted), "the load ended before the counters were read");
        AssertAcked(await Task.WhenAll((await Task.WhenAll(loops)).SelectMany(a => a)));

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

    private static string Room(int i) => $"window-{i}";

    private static void AssertAcked(IEnumerable<JsonElement> answers)
    {
        foreach (var answer in answers)
        {
            Assert.Equal("ack", TestClient.Type(answer));
        }
    }

    /// <summary>
    /// Sends every round into room i at the pace, starting i/40 of a pace late; hands the first
    /// second's pending answers to <paramref name="warmUp"/> and returns all of them.
    /// </summary>
    private static async Task<List<Task<JsonElement>>> SendPacedAsync(TestClient client, int i, TaskCompletionSource<List<Task<JsonElement>>> warmUp)
    {
        var answers = new List<Task<JsonElement>>();
        await Task.Delay(Pace * i / Rooms);
        for (var round = 0; round < Rounds; round++)
        {
            if (round == WarmUpRounds)
            {
                warmUp.SetResult([.. answers]);
            }

            answers.Add(client.SendAsync(Room(i), new { round }));
            await Task.Delay(Pace);
        }

        return answers;
    }
}
