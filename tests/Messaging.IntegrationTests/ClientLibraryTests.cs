using System.Text.Json;
using Messaging.Client;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// The .NET client against real fronts: when its front is killed it moves to the other one, rejoins
/// with <c>since</c>, resends what was not acknowledged with the same cid, and its reader sees every
/// message once, in order.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ClientLibraryTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 2)
{
    private const string Room = "client-failover";
    private const int Count = 60;

    [Fact]
    public async Task A_client_whose_front_dies_moves_to_the_other_front_and_loses_or_repeats_nothing()
    {
        await using var writer = await MessagingClient.ConnectAsync(Options("writer", Cluster.Fronts[0].SocketUri, Cluster.Fronts[1].SocketUri));
        await using var reader = await MessagingClient.ConnectAsync(Options("reader", Cluster.Fronts[1].SocketUri));
        await writer.JoinAsync(Room);
        await reader.JoinAsync(Room);
        var writerSeen = Collect(writer);
        var readerSeen = Collect(reader);

        // Sends keep going while the writer's front dies; those in flight are resent on the other front.
        var sends = new List<Task<SendResult>>();
        for (var i = 0; i < Count; i++)
        {
            sends.Add(writer.SendTextAsync(Room, $"m{i}", cid: $"c{i}"));
            if (i == Count / 3)
            {
                await Cluster.Fronts[0].KillAsync();
            }

            await Task.Delay(10);
        }

        var acks = await Task.WhenAll(sends).WaitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(Count, acks.Select(a => a.Seq).Distinct().Count());

        // A last message after every ack: once it is seen, a repeat of anything before it would have been too.
        await writer.SendTextAsync(Room, "end");
        foreach (var (name, seen) in new[] { ("writer", writerSeen), ("reader", readerSeen) })
        {
            var messages = await seen.WaitForAsync(Count + 1);
            Assert.True(messages.Select(m => m.Seq).SequenceEqual(Enumerable.Range(1, Count + 1).Select(i => (long)i)), $"{name} saw {string.Join(",", messages.Select(m => m.Seq))}");
        }

        // Stored once each: the history holds exactly the sent cids, once.
        var history = new List<MessageReceived>();
        long? before = null;
        do
        {
            var page = await reader.HistoryAsync(Room, before, 100);
            history.InsertRange(0, page.Messages);
            before = page.Messages.Count == 100 ? page.Messages[0].Seq : null;
        }
        while (before is not null);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"c{i}").Order(), history.Where(m => m.Body != "\"end\"").Select(m => m.Cid!).Order());
        Assert.Equal(Count + 1, history.Count);
    }

    [Fact]
    public async Task A_client_renews_its_connection_before_its_token_expires_and_misses_nothing()
    {
        var tokens = 0;
        var options = Options("renewer", Cluster.Fronts[0].SocketUri);
        options.TokenProvider = _ =>
        {
            Interlocked.Increment(ref tokens);
            return ValueTask.FromResult(Tokens.For("renewer", TimeSpan.FromSeconds(64)));
        };
        options.TokenRefreshMargin = TimeSpan.FromSeconds(60);
        await using var client = await MessagingClient.ConnectAsync(options);
        await client.JoinAsync("renewals");
        var seen = Collect(client);
        await using var other = await MessagingClient.ConnectAsync(Options("other", Cluster.Fronts[1].SocketUri));

        // The connection is renewed about every 4 s; messages sent across renewals all arrive once.
        for (var i = 0; i < 10; i++)
        {
            await other.SendTextAsync("renewals", $"r{i}");
            await Task.Delay(1000);
        }

        var messages = await seen.WaitForAsync(10);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), messages.Select(m => m.Seq));
        Assert.True(tokens >= 3, $"the token was fetched {tokens} times");
    }

    [Fact]
    public async Task The_javascript_client_fails_over_the_same_way_in_node()
    {
        var script = Path.Combine(Repo.Root, "clients", "js", "test", "failover.mjs");
        var info = new System.Diagnostics.ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--experimental-websocket");
        info.ArgumentList.Add(script);
        info.Environment["FRONTS"] = $"{Cluster.Fronts[0].SocketUri},{Cluster.Fronts[1].SocketUri}";
        info.Environment["TOKEN_WRITER"] = Tokens.For("js-writer");
        info.Environment["TOKEN_READER"] = Tokens.For("js-reader");
        using var node = System.Diagnostics.Process.Start(info)!;
        var errors = node.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        while (await node.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(120)) is { } line)
        {
            lines.Add(line);
            if (line == "killable")
            {
                await Cluster.Fronts[0].KillAsync();
            }
        }

        await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {string.Join('\n', lines)}\n{await errors}");
        Assert.Contains("killable", lines);
    }

    private static MessagingClientOptions Options(string user, params Uri[] endpoints) => ClientOptions.For(user, endpoints);

    private static MessageLog Collect(MessagingClient client) => MessageLog.Collect(client);
}
