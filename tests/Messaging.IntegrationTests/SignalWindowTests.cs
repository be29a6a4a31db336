using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Delivery:SignalWriteDelay (on by default, WriteDelay off): signals for a busy socket share the
/// front's write window, and arrive whole and in order.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SignalWindowTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, frontEnvironment: Window)
{
    private const int Burst = 100;

    private static readonly Dictionary<string, string> Window = new()
    {
        ["Delivery__WriteDelay"] = "00:00:00",
        ["Delivery__SignalWriteDelay"] = "00:00:00.050",
        ["Limits__CommandsPerSecond"] = "1000",
        ["Limits__CommandBurst"] = "1000",
    };

    [Fact]
    public async Task Signals_to_a_busy_socket_leave_in_a_few_writes_whole_and_in_order()
    {
        const string room = "signal-window";
        var front = Cluster.Fronts[0];
        await using var alice = await TestClient.ConnectAsync(front.SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(front.SocketUri, "bob");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        var before = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total");

        // Paced a few ms apart (load shape, not synchronisation), as in WriteWindowTests.
        for (var i = 0; i < Burst; i++)
        {
            await alice.SendRawAsync($$$"""{"type":"signal","room":"signal-window","body":{"n":{{{i}}}}}""");
            await Task.Delay(2);
        }

        // A stored message is never held: its ack and its delivery come, and take any held signals along.
        Assert.Equal(1, (await alice.SendAsync(room, "after")).GetProperty("seq").GetInt64());
        Assert.Equal("after", (await bob.WaitForMessagesAsync(room, 1))[0].GetProperty("body").GetString());
        var heard = bob.Frames().Where(f => TestClient.Type(f) == "signal" && f.GetProperty("from").GetString() == "alice")
            .Select(f => f.GetProperty("body").GetProperty("n").GetInt32());
        Assert.Equal(Enumerable.Range(0, Burst), heard);

        // Without the window each signal would be its own write (over 100 in all).
        var writes = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total") - before;
        Assert.InRange(writes, 1, Burst / 4);
    }
}
