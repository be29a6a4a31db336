using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Delivery:WriteDelay: frames for a busy socket wait for the front's write window and leave
/// together, so a stream of signals costs a few socket writes instead of one per frame, and still
/// arrives whole and in order, with replies to commands answered.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WriteWindowTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, frontEnvironment: Window)
{
    private const int Burst = 100;

    private static readonly Dictionary<string, string> Window = new()
    {
        ["Delivery__WriteDelay"] = "00:00:00.050",

        // The burst is sent back to back, faster than a person's command rate allows.
        ["Limits__CommandsPerSecond"] = "1000",
        ["Limits__CommandBurst"] = "1000",
    };

    [Fact]
    public async Task A_burst_to_a_busy_socket_leaves_in_a_few_writes_whole_and_in_order()
    {
        const string room = "window";
        var front = Cluster.Fronts[0];
        await using var alice = await TestClient.ConnectAsync(front.SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(front.SocketUri, "bob");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        var before = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total");

        // Paced a few ms apart (load shape, not synchronisation): sent back to back, the front
        // would read them in runs and write each run at once, window or not.
        for (var i = 0; i < Burst; i++)
        {
            await alice.SendRawAsync($$$"""{"type":"signal","room":"window","body":{"n":{{{i}}}}}""");
            await Task.Delay(2);
        }

        // A stored message after the signals, and its ack: neither is lost or held for good.
        Assert.Equal(1, (await alice.SendAsync(room, "after")).GetProperty("seq").GetInt64());
        var stored = await bob.WaitForMessagesAsync(room, 1);
        Assert.Equal("after", stored[0].GetProperty("body").GetString());

        var heard = bob.Frames().Where(f => TestClient.Type(f) == "signal" && f.GetProperty("from").GetString() == "alice")
            .Select(f => f.GetProperty("body").GetProperty("n").GetInt32());
        Assert.Equal(Enumerable.Range(0, Burst), heard);

        // One write per frame would be over 100 (the signals, the message to both, the ack);
        // in 50 ms windows bob's frames share a few writes per window.
        var writes = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total") - before;
        Assert.InRange(writes, 1, Burst / 4);
    }
}
