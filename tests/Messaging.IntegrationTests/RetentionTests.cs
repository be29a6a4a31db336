using Messaging.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Retention prunes old history in the background without breaking seq: numbers go on from the
/// last one even after a restart, and a `since` older than what is kept answers recovered: false.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RetentionTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, siloEnvironment: Retention)
{
    private const string Room = "retained";

    private static readonly Dictionary<string, string> Retention = new()
    {
        ["Retention__MaxAge"] = "00:00:04",
        ["Retention__PrunePeriod"] = "00:00:01",
    };

    [Fact]
    public async Task Pruning_removes_old_messages_keeps_seq_monotonic_and_old_since_is_not_recovered()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await alice.JoinAsync(Room);
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(i, (await alice.SendAsync(Room, i)).GetProperty("seq").GetInt64());
        }

        // The pruner runs every second; once the messages are 4 s old only the newest is left.
        var kept = await WaitForHistoryAsync(alice, seqs => seqs.Length == 1);
        Assert.Equal(new long[] { 5 }, kept);
        Assert.Equal(1, await CountRowsAsync());
        var pruned = await PrometheusScrape.WaitForAsync(Cluster.Silos[0].BaseUri, s => s.Sum("messaging_retention_pruned_total") >= 4);
        Assert.Equal(4, pruned.Sum("messaging_retention_pruned_total"));

        // Numbering goes on from the kept row, also for a new activation after a silo restart.
        await Cluster.RestartSiloAsync(0);
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bob");
        Assert.Equal(5, (await bob.JoinAsync(Room)).GetProperty("seq").GetInt64());
        Assert.Equal(6, (await bob.SendAsync(Room, 6)).GetProperty("seq").GetInt64());
        Assert.Equal(7, (await bob.SendAsync(Room, 7)).GetProperty("seq").GetInt64());

        // A since inside the retained range recovers; one older than it does not, and delivers nothing.
        await using var recent = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "recent");
        var recovered = await recent.RequestAsync(new { type = "join", room = Room, since = 5 });
        Assert.True(recovered.GetProperty("recovered").GetBoolean(), recovered.GetRawText());
        Assert.Equal([6L, 7L], (await recent.WaitForMessagesAsync(Room, 2)).Select(m => m.GetProperty("seq").GetInt64()));

        await using var stale = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "stale");
        var notRecovered = await stale.RequestAsync(new { type = "join", room = Room, since = 2 });
        Assert.False(notRecovered.GetProperty("recovered").GetBoolean(), notRecovered.GetRawText());
        Assert.Equal(7, notRecovered.GetProperty("seq").GetInt64());

        // Live messages still follow for that client, gapless from the joined seq.
        Assert.Equal(8, (await alice.SendAsync(Room, 8)).GetProperty("seq").GetInt64());
        var live = await stale.WaitForMessagesAsync(Room, 1);
        Assert.Equal([8L], live.Select(m => m.GetProperty("seq").GetInt64()));
    }

    private static Task<long[]> WaitForHistoryAsync(TestClient client, Func<long[], bool> done) =>
        Poll.UntilAsync(
            async () => (await client.HistoryAsync(Room)).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray(),
            done);

    private async Task<long> CountRowsAsync()
    {
        await using var connection = new NpgsqlConnection(Cluster.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM messages WHERE room = @room", connection);
        command.Parameters.AddWithValue("room", Room);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
