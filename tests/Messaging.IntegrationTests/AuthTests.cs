using System.Net;
using System.Net.WebSockets;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Tokens and origins are checked before the upgrade; a token's expiry closes a live socket.</summary>
[Collection(PlatformCollection.Name)]
public sealed class AuthTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1)
{

    private Uri Socket => Cluster.Fronts[0].SocketUri;

    public static TheoryData<string, string?> RefusedTokens() => new()
    {
        { "missing", null },
        { "malformed", "not-a-jwt" },
        { "expired", Tokens.For("alice", lifetime: TimeSpan.FromMinutes(-5)) },
        { "wrong key", Tokens.For("alice", key: "another-key-that-is-long-enough-0123456789") },
        { "unsigned", Tokens.Unsigned("alice") },
        { "other algorithm", Tokens.For("alice", alg: "HS512") },
        { "user id too long", Tokens.For(new string('u', 257)) },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_bad_token_is_refused_with_401_before_the_upgrade(string why, string? token)
    {
        var status = await HandshakeAsync(token);

        Assert.True(status == HttpStatusCode.Unauthorized, $"{why}: got {status}");
    }

    [Fact]
    public async Task A_token_in_the_query_string_works_and_never_reaches_the_log()
    {
        var token = Tokens.For("browser-user");
        await using var client = await TestClient.ConnectAsync(Socket, "browser-user", token, tokenInQuery: true);
        Assert.Equal("pong", TestClient.Type(await client.RequestAsync(new { type = "ping" })));

        var signature = token[(token.LastIndexOf('.') + 1)..];
        Assert.DoesNotContain(signature, Cluster.Fronts[0].Output, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token", Cluster.Fronts[0].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_origin_is_refused_with_403_and_allowed_ones_connect()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(Tokens.For("alice"), origin: "https://evil.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(Tokens.For("alice"), origin: "https://allowed.example"));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await HandshakeAsync(Tokens.For("alice"), origin: $"http://127.0.0.1:{Cluster.Fronts[0].HttpPort}"));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeAsync(null, origin: "https://evil.example"));
    }

    [Fact]
    public async Task The_welcome_names_the_user_from_the_token()
    {
        await using var client = await TestClient.ConnectAsync(Socket, "carol");
        var welcome = client.Frames()[0];

        Assert.Equal("welcome", TestClient.Type(welcome));
        Assert.Equal("carol", welcome.GetProperty("user").GetString());
        Assert.False(string.IsNullOrEmpty(welcome.GetProperty("conn").GetString()));
    }

    [Fact]
    public async Task A_token_expiring_closes_the_live_socket_with_4001()
    {
        await using var client = await TestClient.ConnectAsync(Socket, "short-lived", Tokens.For("short-lived", lifetime: TimeSpan.FromSeconds(3)));

        Assert.Equal((WebSocketCloseStatus)4001, await client.WaitClosedAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Dev_tokens_are_off_in_cluster_mode()
    {
        using var http = new HttpClient();
        using var content = new StringContent("{\"user\":\"alice\"}", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(Cluster.Fronts[0].BaseUri, "/dev/token"), content);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpStatusCode> HandshakeAsync(string? token, string? origin = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            await socket.ConnectAsync(Socket, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The status code is what the test looks at.
        }

        return socket.HttpStatusCode;
    }
}
