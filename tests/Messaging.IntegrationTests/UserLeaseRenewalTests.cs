using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// A front keeps its entry in each connected user's grain alive by renewing it, a slice of users
/// per tick. With a 2 s lease, a direct message sent long after a user connected reaches that
/// user's socket live only if the renewals never skipped the user, including a user who left and
/// came back (the renewal drops a user it finds gone, and a new socket must bring it back).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class UserLeaseRenewalTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2, siloEnvironment: SiloEnvironment)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string> SiloEnvironment = new()
    {
        // Also the lease of a front's entry in a user's grain; fronts renew it every second here.
        ["Rooms__FrontLease"] = "00:00:02",
    };

    [Fact]
    public async Task A_dm_long_after_connecting_is_pushed_live_also_to_a_user_who_reconnected()
    {
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await using (var carol = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "carol"))
        {
            await carol.RequestAsync(new { type = "ping" });
        }

        // Time passing is what is tested: without renewals every entry would lapse twice over.
        await Task.Delay(Lease * 2.5);
        await using var carolAgain = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "carol");
        await Task.Delay(Lease * 2.5);

        Assert.Equal("ack", TestClient.Type(await alice.RequestAsync(new { type = "dm", to = "bob", body = "still there?" })));
        Assert.Equal("ack", TestClient.Type(await alice.RequestAsync(new { type = "dm", to = "carol", body = "welcome back" })));

        // Neither joined the rooms: only the live push from their user grains brings these.
        var toBob = await bob.WaitForMessagesAsync("dm:alice:bob", 1, TimeSpan.FromSeconds(10));
        Assert.Equal("still there?", toBob[0].GetProperty("body").GetString());
        var toCarol = await carolAgain.WaitForMessagesAsync("dm:alice:carol", 1, TimeSpan.FromSeconds(10));
        Assert.Equal("welcome back", toCarol[0].GetProperty("body").GetString());
    }
}
