using System.Net.WebSockets;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Presence across two fronts: joins, leaves, dropped sockets, dead fronts, and join storms in a few frames.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PresenceTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2)
{
    [Fact]
    public async Task Joins_and_leaves_on_two_fronts_count_a_user_once()
    {
        const string room = "presence";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "bob");
        await using var bobPhone = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bob");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        await alice.WaitForAsync(f => Diff(f, "join").Contains("bob"));

        Assert.Equal(2, (await bobPhone.JoinAsync(room)).GetProperty("online").GetInt32());
        var presence = await alice.RequestAsync(new { type = "presence", room });
        Assert.Equal(2, presence.GetProperty("online").GetInt32());
        Assert.Equal(["alice", "bob"], presence.GetProperty("users").EnumerateArray().Select(u => u.GetString()).Order());

        // One of bob's two connections leaving changes nothing; the second one does.
        await bob.RequestAsync(new { type = "leave", room });
        await bobPhone.RequestAsync(new { type = "leave", room });
        await alice.WaitForAsync(f => Diff(f, "leave").Contains("bob"));
        Assert.Single(alice.Frames(), f => Diff(f, "join").Contains("bob"));
        Assert.Equal(1, (await alice.RequestAsync(new { type = "presence", room })).GetProperty("online").GetInt32());
    }

    [Fact]
    public async Task A_socket_dropped_without_a_close_frame_leaves_presence()
    {
        const string room = "presence-drop";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await alice.JoinAsync(room);
        var dropped = await TestClient.RawJoinAsync(Cluster.Fronts[1].SocketUri, "dropper", room);
        await alice.WaitForAsync(f => Diff(f, "join").Contains("dropper"));

        dropped.Abort();
        dropped.Dispose();

        await alice.WaitForAsync(f => Diff(f, "leave").Contains("dropper"));
    }

    [Fact]
    public async Task Users_of_a_killed_front_leave_within_the_lease()
    {
        const string room = "presence-dead-front";
        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await alice.JoinAsync(room);
        var doomed = await TestClient.ConnectAsync(Cluster.Fronts[1].SocketUri, "doomed");
        await doomed.JoinAsync(room);
        await alice.WaitForAsync(f => Diff(f, "join").Contains("doomed"));

        await Cluster.Fronts[1].KillAsync();
        await doomed.DisposeAsync();

        // The bound: Rooms:FrontLease (10 s in these tests) + the lease check (a sixth of it) + the 250 ms coalescing.
        await alice.WaitForAsync(f => Diff(f, "leave").Contains("doomed"), TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task A_join_storm_of_2000_connections_reaches_members_in_a_few_coalesced_frames()
    {
        const string room = "presence-storm";
        const int storm = 2000;
        await using var watcher = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "watcher");
        await watcher.JoinAsync(room);

        var sockets = new List<ClientWebSocket>();
        using var gate = new SemaphoreSlim(50);
        await Task.WhenAll(Enumerable.Range(0, storm).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var socket = await TestClient.RawJoinAsync(Cluster.Fronts[i % 2].SocketUri, $"storm-{i}", room);
                lock (sockets)
                {
                    sockets.Add(socket);
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        var seen = new HashSet<string>();
        await watcher.WaitForAsync(f =>
        {
            foreach (var user in Diff(f, "join"))
            {
                seen.Add(user);
            }

            return seen.Count(u => u.StartsWith("storm-", StringComparison.Ordinal)) == storm;
        }, TimeSpan.FromSeconds(60));

        var frames = watcher.Frames().Count(f => TestClient.Type(f) == "presence");
        Assert.True(frames < 100, $"{storm} joins took {frames} presence frames");

        var presence = await watcher.RequestAsync(new { type = "presence", room });
        Assert.Equal(storm + 1, presence.GetProperty("online").GetInt32());
        Assert.Equal(1000, presence.GetProperty("users").GetArrayLength());

        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    private static IReadOnlyList<string> Diff(JsonElement frame, string list) =>
        TestClient.Type(frame) == "presence" && frame.TryGetProperty(list, out var users)
            ? users.EnumerateArray().Select(u => u.GetString()!).ToList()
            : [];
}
