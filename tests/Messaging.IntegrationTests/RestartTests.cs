using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>History and seq continue across a restart of the whole cluster and of the standalone process.</summary>
[Collection(PlatformCollection.Name)]
public sealed class RestartTests(ServersFixture servers)
{
    [Fact]
    public async Task A_whole_cluster_restart_keeps_history_and_seq()
    {
        await using var cluster = new PlatformCluster(servers);
        await cluster.StartAsync(silos: 2, fronts: 1);
        await using (var alice = await TestClient.ConnectAsync(cluster.Fronts[0].SocketUri, "alice"))
        {
            await alice.JoinAsync("restart");
            for (var i = 1; i <= 5; i++)
            {
                await alice.SendAsync("restart", i);
            }

            // A front shutting down closes its sockets with 1001 so clients move elsewhere.
            var closed = alice.WaitClosedAsync(TimeSpan.FromSeconds(30));
            await cluster.StopAllAsync();
            Assert.Equal((WebSocketCloseStatus)1001, await closed);
        }

        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync();
        await cluster.StartFrontAsync();
        await using var bob = await TestClient.ConnectAsync(cluster.Fronts[0].SocketUri, "bob");
        var joined = await bob.JoinAsync("restart");
        Assert.Equal(5, joined.GetProperty("seq").GetInt64());
        Assert.Equal(6, (await bob.SendAsync("restart", 6)).GetProperty("seq").GetInt64());
        var history = await bob.HistoryAsync("restart");
        Assert.Equal([1, 2, 3, 4, 5, 6], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetInt32()));

        // The room's grain state went through Orleans' ADO.NET provider into the project's tables.
        await using var connection = new Npgsql.NpgsqlConnection(cluster.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT version FROM orleansstorage WHERE grainidextensionstring = 'restart'", connection);
        Assert.Equal(1, (int)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_standalone_process_keeps_history_and_seq_across_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("msg-standalone-").FullName;
        try
        {
            var port = Ports.Free();
            var first = await StandaloneFront.StartAsync(data, port);
            string token;
            await using (first)
            {
                token = await DevTokenAsync(first, "alice");
                await using var alice = await TestClient.ConnectAsync(first.SocketUri, "alice", token);
                for (var i = 1; i <= 3; i++)
                {
                    Assert.Equal(i, (await alice.SendAsync("lobby", $"m{i}")).GetProperty("seq").GetInt64());
                }

                await first.StopAsync();
                Assert.Equal(0, await first.Exited);
            }

            Assert.True(File.Exists(Path.Combine(data, "messaging.db")));
            await using var second = await StandaloneFront.StartAsync(data, port);

            // The dev signing key lives in the data folder too, so the old token still works.
            await using var again = await TestClient.ConnectAsync(second.SocketUri, "alice", token);
            Assert.Equal(4, (await again.SendAsync("lobby", "m4")).GetProperty("seq").GetInt64());
            var history = await again.HistoryAsync("lobby");
            Assert.Equal(["m1", "m2", "m3", "m4"], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("body").GetString()));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task The_standalone_process_keeps_private_rooms_bans_and_unread_across_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("msg-standalone-").FullName;
        try
        {
            var port = Ports.Free();
            string ownerToken;
            string bobToken;
            await using (var first = await StandaloneFront.StartAsync(data, port))
            {
                ownerToken = await DevTokenAsync(first, "olga");
                bobToken = await DevTokenAsync(first, "bob");
                using var http = new HttpClient();
                Assert.Equal(System.Net.HttpStatusCode.Created, (await SendAsync(http, first, HttpMethod.Post, "/api/rooms", ownerToken, new { name = "club", members = new[] { new { user = "bob" } } })).StatusCode);
                for (var i = 0; i < 3; i++)
                {
                    Assert.Equal(System.Net.HttpStatusCode.OK, (await SendAsync(http, first, HttpMethod.Post, "/api/rooms/club/messages", ownerToken, new { body = i })).StatusCode);
                }

                Assert.Equal(System.Net.HttpStatusCode.OK, (await SendAsync(http, first, HttpMethod.Post, "/api/rooms/club/moderation", ownerToken, new { action = "ban", user = "bob" })).StatusCode);
                await first.StopAsync();
            }

            await using var second = await StandaloneFront.StartAsync(data, port);
            await using var bob = await TestClient.ConnectAsync(second.SocketUri, "bob", bobToken);
            Assert.Equal("forbidden", (await bob.JoinAsync("club")).GetProperty("code").GetString());

            using var client = new HttpClient();
            using var unread = await SendAsync(client, second, HttpMethod.Get, "/api/me/unread", bobToken);
            var rooms = (await unread.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("rooms");
            Assert.Equal(3, rooms.EnumerateArray().Single(r => r.GetProperty("room").GetString() == "club").GetProperty("unread").GetInt64());
            using var log = await SendAsync(client, second, HttpMethod.Get, "/api/rooms/club/moderation", ownerToken);
            var actions = (await log.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("actions");
            Assert.Equal("ban", actions[0].GetProperty("action").GetString());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, PlatformProcess front, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(front.BaseUri, path));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Standalone_issues_dev_tokens_and_refuses_a_bad_user_with_problem_details()
    {
        var data = Directory.CreateTempSubdirectory("msg-standalone-").FullName;
        try
        {
            await using var front = await StandaloneFront.StartAsync(data, Ports.Free());
            Assert.Contains("/dev/token", front.Output, StringComparison.Ordinal);

            using var http = new HttpClient();
            using var bad = await http.PostAsJsonAsync(new Uri(front.BaseUri, "/dev/token"), new { user = "" });
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);

            var token = await DevTokenAsync(front, "dana");
            await using var dana = await TestClient.ConnectAsync(front.SocketUri, "dana", token);
            await dana.JoinAsync("hello");
            await dana.SendAsync("hello", new { text = "hi" });
            var message = (await dana.WaitForMessagesAsync("hello", 1))[0];
            Assert.Equal("hi", message.GetProperty("body").GetProperty("text").GetString());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static Task<string> DevTokenAsync(PlatformProcess front, string user) => StandaloneFront.DevTokenAsync(front, user);
}
