using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Under the default signal window, a sender that joined the room gets its ack and its own copy of
/// the message in one socket write, ack first: two writes per message between two members, not three.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AckWithCopyTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1)
{
    private const int Sends = 20;

    [Fact]
    public async Task A_senders_ack_leaves_in_the_same_write_as_its_own_copy()
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

        // The ack still comes first: a client that waits for it before showing the message keeps working.
        var frames = alice.Frames();
        for (var seq = 1L; seq <= Sends; seq++)
        {
            var ack = IndexOf(frames, f => TestClient.Type(f) == "ack" && f.GetProperty("seq").GetInt64() == seq);
            var copy = IndexOf(frames, f => TestClient.Type(f) == "message" && f.GetProperty("seq").GetInt64() == seq);
            Assert.InRange(ack, 0, copy - 1);
        }

        // One write per frame is three per message (alice's ack and copy, bob's copy). An ack that
        // arrives after its copy was already written goes alone, hence the slack.
        var writes = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total") - before;
        Assert.InRange(writes, 2 * Sends, (2 * Sends) + (Sends / 4));
    }

    private static int Number(JsonElement message) => message.GetProperty("body").GetProperty("n").GetInt32();

    private static int IndexOf(IReadOnlyList<JsonElement> frames, Func<JsonElement, bool> match)
    {
        for (var i = 0; i < frames.Count; i++)
        {
            if (match(frames[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
