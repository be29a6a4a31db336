using Xunit;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// The write-window scenario both windows share: a burst of signals to a busy socket, then a
/// stored message. It must arrive whole and in order, and in far fewer writes than frames.
/// </summary>
public static class WindowBurst
{
    private const int Burst = 100;

    /// <summary>A 50 ms window under <paramref name="window"/> (the other one off), and a command rate the burst fits in.</summary>
    public static Dictionary<string, string> Settings(string window) => new()
    {
        ["Delivery__WriteDelay"] = "00:00:00",
        ["Delivery__SignalWriteDelay"] = "00:00:00",
        [window] = "00:00:00.050",

        // The burst is sent back to back, faster than a person's command rate allows.
        ["Limits__CommandsPerSecond"] = "1000",
        ["Limits__CommandBurst"] = "1000",
    };

    public static async Task RunAsync(PlatformProcess front, string room)
    {
        await using var alice = await TestClient.ConnectAsync(front.SocketUri, "alice");
        await using var bob = await TestClient.ConnectAsync(front.SocketUri, "bob");
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);
        var before = (await PrometheusScrape.ReadAsync(front.BaseUri)).Sum("messaging_socket_writes_total");

        // Paced a few ms apart (load shape, not synchronisation): sent back to back, the front
        // would read them in runs and write each run at once, window or not.
        for (var i = 0; i < Burst; i++)
        {
            await alice.SendRawAsync($$$"""{"type":"signal","room":"{{{room}}}","body":{"n":{{{i}}}}}""");
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
