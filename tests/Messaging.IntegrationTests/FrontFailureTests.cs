using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>A front that dies is forgotten by its rooms once its lease lapses; the other front carries on.</summary>
[Collection(PlatformCollection.Name)]
public sealed class FrontFailureTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2)
{

    [Fact]
    public async Task A_killed_front_is_dropped_from_its_rooms_and_the_others_keep_receiving()
    {
        const string room = "front-death";
        await using var survivor = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "survivor");
        var doomed = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "doomed");
        await survivor.JoinAsync(room);
        Assert.Equal(2, (await doomed.JoinAsync(room)).GetProperty("online").GetInt32());

        await Cluster.Fronts[1].KillAsync();
        await doomed.DisposeAsync();
        await survivor.SendAsync(room, "after the crash");
        await survivor.WaitForMessagesAsync(room, 1);

        // The room drops the dead front when its lease (10 s here) lapses: a probe joining from
        // the surviving front sees the online count fall back to the two live users.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        var online = 0;
        while (DateTime.UtcNow < deadline)
        {
            await using var probe = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "probe");
            online = (await probe.JoinAsync(room)).GetProperty("online").GetInt32();
            if (online == 2)
            {
                break;
            }

            await Task.Delay(1000);
        }

        Assert.Equal(2, online);
    }
}
