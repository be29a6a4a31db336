using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Signals reach the members connected now, on every front; they are never stored and have no seq.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SignalTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2)
{
    [Fact]
    public async Task A_signal_reaches_other_members_on_both_fronts_and_is_never_stored()
    {
        const string room = "signals";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await using var carol = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "carol");
        await using var outsider = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "outsider");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        await carol.JoinAsync(room);

        await alice.SendRawAsync("""{"type":"signal","room":"signals","body":{"typing":true}}""");

        foreach (var member in new[] { bob, carol })
        {
            var signal = await member.WaitForAsync(f => TestClient.Type(f) == "signal");
            Assert.Equal("alice", signal.GetProperty("from").GetString());
            Assert.True(signal.GetProperty("body").GetProperty("typing").GetBoolean());
            Assert.False(signal.TryGetProperty("seq", out _));
        }

        // A member on the sender's front hears it once: from its own front, not again through the room.
        await carol.RequestAsync(new { type = "ping" });
        await alice.SendAsync(room, "barrier");
        await carol.WaitForMessagesAsync(room, 1);
        Assert.Single(carol.Frames(), f => TestClient.Type(f) == "signal");

        // The sender does not hear itself, and a non-member hears nothing.
        await alice.RequestAsync(new { type = "ping" });
        await outsider.RequestAsync(new { type = "ping" });
        Assert.DoesNotContain(alice.Frames(), f => TestClient.Type(f) == "signal");
        Assert.DoesNotContain(outsider.Frames(), f => TestClient.Type(f) == "signal");

        var history = await bob.HistoryAsync(room);
        Assert.Equal("barrier", Assert.Single(history.GetProperty("messages").EnumerateArray()).GetProperty("body").GetString());
        Assert.Equal(2, (await bob.SendAsync(room, "second stored")).GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task A_signal_to_a_room_not_joined_is_forbidden()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");

        var answer = await alice.RequestAsync(new { type = "signal", room = "elsewhere", body = 1 });

        Assert.Equal("forbidden", answer.GetProperty("code").GetString());
    }
}
