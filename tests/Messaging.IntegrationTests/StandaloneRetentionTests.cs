using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Retention on the embedded SQLite store: the same pruning statement, the same guarantees.</summary>
[Collection(PlatformCollection.Name)]
public sealed class StandaloneRetentionTests
{
    [Fact]
    public async Task The_standalone_process_prunes_old_history_and_numbers_on_from_the_kept_message()
    {
        var data = Directory.CreateTempSubdirectory("msg-retention-").FullName;
        try
        {
            await using var front = await StandaloneFront.StartAsync(data, Ports.Free(), new Dictionary<string, string>
            {
                ["Retention__MaxAge"] = "00:00:02",
                ["Retention__PrunePeriod"] = "00:00:01",
            });
            var token = await StandaloneFront.DevTokenAsync(front, "alice");
            await using var alice = await TestClient.ConnectAsync(front.SocketUri, "alice", token);
            await alice.JoinAsync("kept");
            for (var i = 1; i <= 4; i++)
            {
                Assert.Equal(i, (await alice.SendAsync("kept", i)).GetProperty("seq").GetInt64());
            }

            var seqs = await Poll.UntilAsync(
                async () => (await alice.HistoryAsync("kept")).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray(),
                found => found.Length == 1);

            Assert.Equal(new long[] { 4 }, seqs);
            Assert.Equal(5, (await alice.SendAsync("kept", 5)).GetProperty("seq").GetInt64());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
