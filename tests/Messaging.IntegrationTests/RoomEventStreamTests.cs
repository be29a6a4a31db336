using System.Net;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Room events reach a service beside the cluster through the room-events stream: the HelpBot
/// sample sees joins and moderation, and answers <c>!help</c> in the room, once.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class RoomEventStreamTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1)
{
    [Fact]
    public async Task A_bot_beside_the_cluster_reads_room_events_and_answers_in_the_room()
    {
        var silo = Cluster.SiloEnvironment();
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Redis"] = silo["ConnectionStrings__Redis"],
            ["Orleans__ClusterId"] = silo["Orleans__ClusterId"],
            ["Orleans__ServiceId"] = silo["Orleans__ServiceId"],
            ["HelpBot__Rooms__0"] = "help-desk",
        };
        await using var bot = PlatformProcess.Start("helpbot", Repo.HelpBotDll, environment);
        await bot.WaitForOutputAsync("HelpBot ready in 1 rooms", TimeSpan.FromSeconds(60));

        await using var alice = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "alice");
        await alice.JoinAsync("help-desk");
        await bot.WaitForOutputAsync("help-desk: alice Joined", TimeSpan.FromSeconds(30));

        var question = await alice.SendAsync("help-desk", new { text = "!help please" });
        var answer = await alice.WaitForAsync(f => TestClient.Type(f) == "message" && f.GetProperty("from").GetString() == "helpbot", TimeSpan.FromSeconds(30));
        Assert.StartsWith("Commands:", answer.GetProperty("body").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal($"help-{question.GetProperty("seq").GetInt64()}", answer.GetProperty("cid").GetString());

        var moderation = await ApiClient.AsService(Cluster.Fronts[0], "console", "rooms:admin").PostAsync("/api/rooms/help-desk/moderation", new { action = "mute", user = "troll" });
        Assert.Equal(HttpStatusCode.OK, moderation.Status);
        await bot.WaitForOutputAsync("help-desk: console did mute to troll", TimeSpan.FromSeconds(30));

        // An ordinary message gets no answer: the next message alice sees is her own.
        await alice.SendAsync("help-desk", "thanks");
        var last = await alice.WaitForMessagesAsync("help-desk", 3);
        Assert.Equal(["alice", "helpbot", "alice"], last.Select(m => m.GetProperty("from").GetString()));
    }
}
