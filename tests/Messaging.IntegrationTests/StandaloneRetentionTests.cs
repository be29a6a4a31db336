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

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            long[] seqs;
            do
            {
                await Task.Delay(250);
                var page = await alice.HistoryAsync("kept");
                seqs = [.. page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64())];
            }
            while (seqs.Length > 1 && DateTime.UtcNow < deadline);

            Assert.Equal(new long[] { 4 }, seqs);
            Assert.Equal(5, (await alice.SendAsync("kept", 5)).GetProperty("seq").GetInt64());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
