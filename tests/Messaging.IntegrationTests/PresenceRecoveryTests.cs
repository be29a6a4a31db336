using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>A room that lost its memory with its silo learns its members again from the fronts' next renewal.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PresenceRecoveryTests(ServersFixture servers) : ClusterTest(servers, silos: 2, fronts: 1)
{
    [Fact]
    public async Task Presence_is_right_again_after_a_silo_is_killed()
    {
        // Several rooms, so some of them surely lived on the silo that dies.
        var rooms = Enumerable.Range(0, 6).Select(i => $"presence-recovery-{i}").ToArray();
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bob");
        foreach (var room in rooms)
        {
            await alice.JoinAsync(room);
            await bob.JoinAsync(room);
        }

        await Cluster.Silos[0].KillAsync();

        foreach (var room in rooms)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            string[] users = [];
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    // During failover a call to a room that lived on the dead silo can wait for
                    // Orleans' response timeout; a client simply asks again.
                    var answer = await alice.RequestAsync(new { type = "presence", room }, TimeSpan.FromSeconds(40));
                    if (TestClient.Type(answer) == "presence")
                    {
                        users = answer.GetProperty("users").EnumerateArray().Select(u => u.GetString()!).Order().ToArray();
                        if (users.Length == 2)
                        {
                            break;
                        }
                    }
                }
                catch (TimeoutException)
                {
                }

                await Task.Delay(250);
            }

            Assert.Equal(["alice", "bob"], users);
        }
    }
}
