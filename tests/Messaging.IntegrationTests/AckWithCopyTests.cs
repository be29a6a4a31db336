using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Under the default signal window, a sender that joined the room gets its ack in the same socket
/// write as its own copy of the message when the ack reaches the front first, which is most of the
/// time: fewer than three writes per message between two members.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AckWithCopyTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1)
{
    private const int Sends = 40;

    [Fact]
    public async Task A_senders_acks_share_writes_with_its_own_copies()
    {
        const string room = "ack-with-copy";
        var front = Cluster.Fronts[0];
        await using var alice = await TestClient.ConnectAsync(front.SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(front.SocketUri, "bob");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        // The join's presence diff is written before the count starts.
        await alice.WaitForAsync(f => TestClient.Type(f) == "presence" && f.TryGetProperty("join", out var joined)
            && joined.EnumerateArray().Any(u => u.GetString() == "bob"));
        var before = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total");

        for (var i = 1; i <= Sends; i++)
        {
            Assert.Equal(i, (await alice.SendAsync(room, new { n = i })).GetProperty("seq").GetInt64());
        }

        Assert.Equal(Enumerable.Range(1, Sends), (await bob.WaitForMessagesAsync(room, Sends)).Select(Number));
        Assert.Equal(Enumerable.Range(1, Sends), (await alice.WaitForMessagesAsync(room, Sends)).Select(Number));

        // Held and released together, nothing is written twice: one ack per send.
        var acks = alice.Frames().Where(f => TestClient.Type(f) == "ack").Select(f => f.GetProperty("seq").GetInt64());
        Assert.Equal(Enumerable.Range(1, Sends).Select(i => (long)i), acks);

        // One write per frame is three per message (alice's ack and copy, bob's copy). The room's
        // push and its answer race to the front, and an ack that comes after its copy was handed
        // out goes alone (a few in ten here), so the bound asks only that some acks shared a write.
        var writes = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total") - before;
        Assert.InRange(writes, 2 * Sends, (3 * Sends) - 5);
    }

    private static int Number(JsonElement message) => message.GetProperty("body").GetProperty("n").GetInt32();
}
