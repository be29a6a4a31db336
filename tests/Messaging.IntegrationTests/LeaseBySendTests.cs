using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// A front's send answer stands in for its lease renewal: the room keeps a front that sends
/// subscribed, and a room that forgot a front (its silo died) is renewed at that front's next
/// send instead of at the next period. The fronts here renew only every five minutes, far past
/// the rooms' 10 s lease, so only the answers can keep or bring the subscriptions back.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LeaseBySendTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2, frontEnvironment: RareRenewals)
{
    private static readonly Dictionary<string, string> RareRenewals = new()
    {
        ["Delivery__RenewPeriod"] = "00:05:00",
        ["Delivery__UserRenewPeriod"] = "00:05:00",
    };

    [Fact]
    public async Task Fronts_that_keep_sending_stay_subscribed_past_the_lease()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await alice.JoinAsync("lease-by-send");
        await bob.JoinAsync("lease-by-send");

        // 14 rounds of a send from each side, one a second: the last ones leave after the
        // 10 s lease the joins gave, which would have dropped both fronts without the answers.
        for (var n = 1; n <= 14; n++)
        {
            Assert.Equal("ack", TestClient.Type(await bob.SendAsync("lease-by-send", new { n })));
            var ack = await alice.SendAsync("lease-by-send", new { n });
            Assert.Equal("ack", TestClient.Type(ack));
            var seq = ack.GetProperty("seq").GetInt64();
            await bob.WaitForAsync(f => IsMessage(f, "lease-by-send", seq));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task A_room_that_forgot_a_front_learns_it_again_from_its_next_send()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await alice.JoinAsync("forgotten-front");
        await bob.JoinAsync("forgotten-front");

        // The room's memory of both fronts dies with the only silo.
        await Cluster.Silos[0].KillAsync();
        await Cluster.StartSiloAsync();
        foreach (var front in Cluster.Fronts)
        {
            await front.WaitReadyAsync(TimeSpan.FromSeconds(90));
        }

        await bob.SendUntilAckedAsync("forgotten-front", new { n = 1 }, "from-bob", TimeSpan.FromSeconds(40));
        var seq = await alice.SendUntilAckedAsync("forgotten-front", new { n = 2 }, "from-alice", TimeSpan.FromSeconds(40));
        await bob.WaitForAsync(f => IsMessage(f, "forgotten-front", seq));
    }

    private static bool IsMessage(JsonElement frame, string room, long seq) =>
        TestClient.Type(frame) == "message" && frame.GetProperty("room").GetString() == room && frame.GetProperty("seq").GetInt64() == seq;
}
