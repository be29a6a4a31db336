using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// A room-events queue past its bound (Streams:QueueCapacity, one batch here) drops events: each
/// drop is counted and logged on the silo, and no message is refused, lost or reordered for it.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RoomEventDropTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, siloEnvironment: OneBatchQueues)
{
    private const int Rooms = 40;
    private const int PerBurst = 5;
    private const int MaxBursts = 10;
    private const string Dropped = "messaging_room_events_dropped_total";
    private const string MessagesKind = "kind=\"messages\"";
    private const string Warning = "event could not be published to the room-events stream";

    private static readonly Dictionary<string, string> OneBatchQueues = new()
    {
        ["Streams__QueueCapacity"] = "1",
    };

    [Fact]
    public async Task Events_past_the_queue_bound_are_dropped_counted_and_logged_while_every_message_is_stored()
    {
        var silo = Cluster.Silos[0];
        await using var group = await ClientGroup.JoinEachAsync(Cluster.Fronts[0].SocketUri, Rooms, i => $"drop-user-{i}", Room);
        var clients = group.Clients;

        // Bursts of 200 sends over 40 rooms make far more events in 20 ms than eight queues of
        // one batch take, so the first burst drops some; the bound on bursts only ends a test
        // whose drops never come. Joins may have dropped events already: only messages' count.
        var bursts = 0;
        PrometheusScrape scrape;
        do
        {
            bursts++;
            var acks = await Task.WhenAll(clients.Select((client, i) =>
                Task.WhenAll(Enumerable.Range(0, PerBurst).Select(n => client.SendAsync(Room(i), new { burst = bursts, n })))));
            Assert.All(acks.SelectMany(a => a), ack => Assert.Equal("ack", TestClient.Type(ack)));
            scrape = await PrometheusScrape.ReadAsync(silo.BaseUri);
        }
        while (scrape.Sum(Dropped, MessagesKind) == 0 && bursts < MaxBursts);

        Assert.True(scrape.Sum(Dropped, MessagesKind) > 0, $"no message event was dropped in {bursts} bursts");

        // Every drop is one warning on the silo, however it failed (at once in the silo's
        // outbox, or later at the queue grain).
        var (counted, logged) = await Poll.UntilAsync(
            async () => (Counted: (await PrometheusScrape.ReadAsync(silo.BaseUri)).Sum(Dropped), Logged: WarningLines(silo)),
            c => c.Counted == c.Logged);
        Assert.Equal(counted, logged);

        // And the messages themselves: each room holds all of its sends, gapless, in order.
        for (var i = 0; i < Rooms; i++)
        {
            var history = (await clients[i].HistoryAsync(Room(i), limit: 100)).GetProperty("messages").EnumerateArray().ToList();
            Assert.Equal(Enumerable.Range(1, bursts * PerBurst).Select(s => (long)s), history.Select(m => m.GetProperty("seq").GetInt64()));
        }
    }

    private static string Room(int i) => $"event-drops-{i}";

    private static int WarningLines(PlatformProcess silo) =>
        silo.Output.Split('\n').Count(line => line.Contains(Warning, StringComparison.Ordinal));
}
