using System.Net;
using System.Text.Json;
using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Every refusal of the HTTP API (no token, wrong scope, not a member, no role, bad body, too
/// large, over a limit, too many requests) answers its documented status and problem type, and
/// changes nothing.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ApiRefusalTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, ApiSettings.Front, ApiSettings.Silo)
{
    private const string Room = "guarded";

    [Fact]
    public async Task Each_refusal_has_its_status_and_problem_type_and_changes_nothing()
    {
        var front = Cluster.Fronts[0];
        var alice = ApiClient.AsUser(front, "alice");
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/rooms", new { name = Room, title = "Guarded", metadata = new { v = 1 }, members = new[] { new { user = "bob" } } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsync($"/api/rooms/{Room}/messages", new { body = "seed" })).Status);
        var before = await SnapshotAsync(alice);

        var anonymous = ApiClient.Anonymous(front);
        var wrongKey = ApiClient.WithKey(front, "not-a-key-not-a-key-not-a-key-not-a-key");
        var readOnly = ApiClient.AsService(front, "reporting", "messages:read");
        var roomsAdmin = ApiClient.AsService(front, "console", "rooms:admin");
        var publishKey = ApiClient.WithKey(front, ApiSettings.PublishKey);
        var bob = ApiClient.AsUser(front, "bob");
        var carol = ApiClient.AsUser(front, "carol");
        var tooLarge = new string('x', ApiSettings.MaxBodyBytes);

        var cases = new (string Name, Func<Task<ApiResponse>> Call, HttpStatusCode Status, string Type)[]
        {
            ("no token, read", () => anonymous.GetAsync($"/api/rooms/{Room}"), HttpStatusCode.Unauthorized, "unauthorized"),
            ("no token, publish", () => anonymous.PostAsync($"/api/rooms/{Room}/messages", new { body = "x" }), HttpStatusCode.Unauthorized, "unauthorized"),
            ("no token, unread", () => anonymous.GetAsync("/api/me/unread"), HttpStatusCode.Unauthorized, "unauthorized"),
            ("unknown API key", () => wrongKey.GetAsync($"/api/rooms/{Room}"), HttpStatusCode.Unauthorized, "unauthorized"),
            ("wrong scope, create", () => readOnly.PostAsync("/api/rooms", new { name = "other" }), HttpStatusCode.Forbidden, "insufficient-scope"),
            ("wrong scope, publish", () => roomsAdmin.PostAsync($"/api/rooms/{Room}/messages", new { body = "x" }), HttpStatusCode.Forbidden, "insufficient-scope"),
            ("wrong scope, delete", () => publishKey.DeleteAsync($"/api/rooms/{Room}"), HttpStatusCode.Forbidden, "insufficient-scope"),
            ("wrong scope, history", () => publishKey.GetAsync($"/api/rooms/{Room}/messages"), HttpStatusCode.Forbidden, "insufficient-scope"),
            ("service, unread", () => roomsAdmin.GetAsync("/api/me/unread"), HttpStatusCode.Forbidden, "users-only"),
            ("not a member, read", () => carol.GetAsync($"/api/rooms/{Room}"), HttpStatusCode.NotFound, "not-found"),
            ("not a member, history", () => carol.GetAsync($"/api/rooms/{Room}/messages"), HttpStatusCode.NotFound, "not-found"),
            ("not a member, members", () => carol.GetAsync($"/api/rooms/{Room}/members"), HttpStatusCode.NotFound, "not-found"),
            ("not a member, add self", () => carol.PutAsync($"/api/rooms/{Room}/members/carol"), HttpStatusCode.NotFound, "not-found"),
            ("not a member, moderate", () => carol.PostAsync($"/api/rooms/{Room}/moderation", new { action = "ban", user = "bob" }), HttpStatusCode.NotFound, "not-found"),
            ("not a member, publish", () => carol.PostAsync($"/api/rooms/{Room}/messages", new { body = "x" }), HttpStatusCode.NotFound, "not-found"),
            ("not a member, delete", () => carol.DeleteAsync($"/api/rooms/{Room}"), HttpStatusCode.NotFound, "not-found"),
            ("member, update", () => bob.PatchAsync($"/api/rooms/{Room}", new { title = "mine now" }), HttpStatusCode.Forbidden, "forbidden"),
            ("member, moderate", () => bob.PostAsync($"/api/rooms/{Room}/moderation", new { action = "mute", user = "alice" }), HttpStatusCode.Forbidden, "forbidden"),
            ("member, add member", () => bob.PutAsync($"/api/rooms/{Room}/members/dave"), HttpStatusCode.Forbidden, "forbidden"),
            ("member, delete", () => bob.DeleteAsync($"/api/rooms/{Room}"), HttpStatusCode.Forbidden, "forbidden"),
            ("member, moderation log", () => bob.GetAsync($"/api/rooms/{Room}/moderation"), HttpStatusCode.Forbidden, "forbidden"),
            ("last owner leaves", () => alice.DeleteAsync($"/api/rooms/{Room}/members/alice"), HttpStatusCode.Conflict, "conflict"),
            ("name taken", () => alice.PostAsync("/api/rooms", new { name = Room }), HttpStatusCode.Conflict, "conflict"),
            ("not JSON", () => alice.SendAsync(HttpMethod.Post, "/api/rooms", "{name:"), HttpStatusCode.BadRequest, "bad-request"),
            ("not an object", () => alice.SendAsync(HttpMethod.Post, "/api/rooms", "[1,2]"), HttpStatusCode.BadRequest, "bad-request"),
            ("no body", () => alice.SendAsync(HttpMethod.Post, "/api/rooms", ""), HttpStatusCode.BadRequest, "bad-request"),
            ("wrong media type", () => alice.SendAsync(HttpMethod.Post, "/api/rooms", "{}", contentType: "text/plain"), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type"),
            ("no name", () => alice.PostAsync("/api/rooms", new { title = "t" }), HttpStatusCode.BadRequest, "bad-request"),
            ("bad name", () => alice.PostAsync("/api/rooms", new { name = "no spaces allowed" }), HttpStatusCode.BadRequest, "bad-request"),
            ("direct-message name", () => alice.PostAsync("/api/rooms", new { name = "dm:alice:bob" }), HttpStatusCode.BadRequest, "bad-request"),
            ("metadata not an object", () => alice.PatchAsync($"/api/rooms/{Room}", new { metadata = new[] { 1 } }), HttpStatusCode.BadRequest, "bad-request"),
            ("metadata too large", () => alice.PatchAsync($"/api/rooms/{Room}", new { metadata = new { big = new string('m', 1500) } }), HttpStatusCode.BadRequest, "bad-request"),
            ("title with control characters", () => alice.PatchAsync($"/api/rooms/{Room}", new { title = "a\u0007b" }), HttpStatusCode.BadRequest, "bad-request"),
            ("unknown role", () => alice.PutAsync($"/api/rooms/{Room}/members/dave", new { role = "emperor" }), HttpStatusCode.BadRequest, "bad-request"),
            ("unknown action", () => alice.PostAsync($"/api/rooms/{Room}/moderation", new { action = "smite", user = "bob" }), HttpStatusCode.BadRequest, "bad-request"),
            ("moderation without user", () => alice.PostAsync($"/api/rooms/{Room}/moderation", new { action = "mute" }), HttpStatusCode.BadRequest, "bad-request"),
            ("publish without body", () => alice.PostAsync($"/api/rooms/{Room}/messages", new { text = "x" }), HttpStatusCode.BadRequest, "bad-request"),
            ("idempotency key too long", () => alice.PostAsync($"/api/rooms/{Room}/messages", new { body = "x" }, new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 129) }), HttpStatusCode.BadRequest, "bad-request"),
            ("page too large", () => alice.GetAsync($"/api/rooms/{Room}/messages?limit=101"), HttpStatusCode.BadRequest, "bad-request"),
            ("page not a number", () => alice.GetAsync($"/api/rooms/{Room}/messages?limit=ten"), HttpStatusCode.BadRequest, "bad-request"),
            ("before zero", () => alice.GetAsync($"/api/rooms/{Room}/messages?before=0"), HttpStatusCode.BadRequest, "bad-request"),
            ("body too large", () => alice.PostAsync($"/api/rooms/{Room}/messages", new { body = tooLarge }), HttpStatusCode.RequestEntityTooLarge, "too-large"),
            ("create too large", () => alice.PostAsync("/api/rooms", new { name = "big", title = tooLarge }), HttpStatusCode.RequestEntityTooLarge, "too-large"),
        };

        foreach (var (name, call, status, type) in cases)
        {
            var response = await call();
            Assert.True(status == response.Status, $"{name}: expected {status}, got {response.Status} {response.Body}");
            AssertProblem(name, response, status, type);
        }

        Assert.Equal(before, await SnapshotAsync(alice));
    }

    [Fact]
    public async Task Every_endpoint_refuses_a_caller_without_a_token_or_without_its_scope()
    {
        var front = Cluster.Fronts[0];
        Assert.Equal(HttpStatusCode.Created, (await ApiClient.AsUser(front, "alice").PostAsync("/api/rooms", new { name = Room })).Status);
        var endpoints = new (HttpMethod Method, string Path, object? Body, string NeededScope)[]
        {
            (HttpMethod.Post, "/api/rooms", new { name = "another" }, "rooms:admin"),
            (HttpMethod.Get, $"/api/rooms/{Room}", null, "rooms:admin"),
            (HttpMethod.Patch, $"/api/rooms/{Room}", new { title = "t" }, "rooms:admin"),
            (HttpMethod.Delete, $"/api/rooms/{Room}", null, "rooms:admin"),
            (HttpMethod.Get, $"/api/rooms/{Room}/members", null, "rooms:admin"),
            (HttpMethod.Put, $"/api/rooms/{Room}/members/bob", new { role = "member" }, "rooms:admin"),
            (HttpMethod.Delete, $"/api/rooms/{Room}/members/bob", null, "rooms:admin"),
            (HttpMethod.Post, $"/api/rooms/{Room}/moderation", new { action = "ban", user = "bob" }, "rooms:admin"),
            (HttpMethod.Get, $"/api/rooms/{Room}/moderation", null, "rooms:admin"),
            (HttpMethod.Post, $"/api/rooms/{Room}/messages", new { body = "x" }, "messages:publish"),
            (HttpMethod.Get, $"/api/rooms/{Room}/messages", null, "messages:read"),
        };

        foreach (var (method, path, body, scope) in endpoints)
        {
            var json = body is null ? null : JsonSerializer.Serialize(body);
            AssertProblem($"{method} {path} without a token", await ApiClient.Anonymous(front).SendAsync(method, path, json), HttpStatusCode.Unauthorized, "unauthorized");

            // A service holding every scope but the one this endpoint needs.
            var others = string.Join(' ', new[] { "rooms:admin", "messages:publish", "messages:read" }.Where(s => s != scope && !(scope == "messages:read" && s == "rooms:admin")));
            var response = await ApiClient.AsService(front, "wrong-scope", others).SendAsync(method, path, json);
            AssertProblem($"{method} {path} with '{others}'", response, HttpStatusCode.Forbidden, "insufficient-scope");
        }

        AssertProblem("unread without a token", await ApiClient.Anonymous(front).GetAsync("/api/me/unread"), HttpStatusCode.Unauthorized, "unauthorized");
        AssertProblem("unread as a service", await ApiClient.AsService(front, "svc", "rooms:admin").GetAsync("/api/me/unread"), HttpStatusCode.Forbidden, "users-only");

        // Nothing above changed the room.
        var room = await ApiClient.AsUser(front, "alice").GetAsync($"/api/rooms/{Room}");
        Assert.Equal(1, room.Json.GetProperty("members").GetInt32());
        Assert.False(room.Json.TryGetProperty("title", out _));
        Assert.Equal(0, room.Json.GetProperty("lastSeq").GetInt64());
    }

    [Fact]
    public async Task Members_per_room_and_rooms_per_user_have_limits()
    {
        var alice = ApiClient.AsUser(Cluster.Fronts[0], "alice");
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/rooms", new { name = "full-room", members = new[] { new { user = "bob" }, new { user = "carol" } } })).Status);
        var full = await alice.PutAsync("/api/rooms/full-room/members/dave");
        AssertProblem("members per room", full, HttpStatusCode.Conflict, "limit-exceeded");
        var created = await alice.PostAsync("/api/rooms", new { name = "too-many", members = new[] { new { user = "b" }, new { user = "c" }, new { user = "d" } } });
        AssertProblem("members at creation", created, HttpStatusCode.Conflict, "limit-exceeded");

        // Bob is in full-room; a second room fills his quota, the third is refused and changes nothing.
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/rooms", new { name = "bob-second" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await alice.PutAsync("/api/rooms/bob-second/members/bob")).Status);
        Assert.Equal(HttpStatusCode.Created, (await ApiClient.AsUser(Cluster.Fronts[0], "erin").PostAsync("/api/rooms", new { name = "bob-third" })).Status);
        var third = await ApiClient.AsUser(Cluster.Fronts[0], "erin").PutAsync("/api/rooms/bob-third/members/bob");
        AssertProblem("rooms per user", third, HttpStatusCode.Conflict, "limit-exceeded");
        var members = await ApiClient.AsUser(Cluster.Fronts[0], "erin").GetAsync("/api/rooms/bob-third/members");
        Assert.Equal(["erin"], members.Json.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("user").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await ApiClient.AsUser(Cluster.Fronts[0], "bob").GetAsync("/api/rooms/bob-third")).Status);

        // The creator counts too: alice owns full-room and bob-second, so a third room of hers is refused.
        AssertProblem("rooms per creator", await alice.PostAsync("/api/rooms", new { name = "alice-third" }), HttpStatusCode.Conflict, "limit-exceeded");
        Assert.Equal(HttpStatusCode.NotFound, (await ApiClient.AsService(Cluster.Fronts[0], "console", "rooms:admin").GetAsync("/api/rooms/alice-third")).Status);
    }

    [Fact]
    public async Task Each_caller_is_rate_limited_with_retry_after_and_others_are_not()
    {
        var flood = ApiClient.AsUser(Cluster.Fronts[0], "flood");
        var calm = ApiClient.AsUser(Cluster.Fronts[0], "calm");
        var responses = await Task.WhenAll(Enumerable.Range(0, 120).Select(_ => flood.GetAsync("/api/me/unread")));

        var limited = responses.Where(r => r.Status == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => AssertProblem("rate limit", r, HttpStatusCode.TooManyRequests, "rate-limited"));
        Assert.All(limited, r => Assert.True(r.RetryAfter >= TimeSpan.FromSeconds(1), "Retry-After is missing"));
        Assert.True(responses.Count(r => r.Status == HttpStatusCode.OK) >= 60, "the burst should have been served");
        Assert.Equal(HttpStatusCode.OK, (await calm.GetAsync("/api/me/unread")).Status);
    }

    [Fact]
    public async Task Moderation_over_the_socket_is_refused_to_members_and_hidden_from_others()
    {
        var alice = ApiClient.AsUser(Cluster.Fronts[0], "alice");
        Assert.Equal(HttpStatusCode.Created, (await alice.PostAsync("/api/rooms", new { name = "socket-mod", members = new[] { new { user = "bob" } } })).Status);
        await using var bob = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "bob");
        await using var carol = await TestClient.ConnectAsync(Cluster.Fronts[0].SocketUri, "carol");

        Assert.Equal("forbidden", (await bob.RequestAsync(new { type = "moderate", room = "socket-mod", action = "ban", user = "alice" })).GetProperty("code").GetString());
        Assert.Equal("not_found", (await carol.RequestAsync(new { type = "moderate", room = "socket-mod", action = "ban", user = "bob" })).GetProperty("code").GetString());
        Assert.Equal("bad_request", (await bob.RequestAsync(new { type = "moderate", room = "socket-mod", action = "smite", user = "alice" })).GetProperty("code").GetString());
        Assert.Equal("bad_request", (await bob.RequestAsync(new { type = "moderate", room = "socket-mod", action = "kick" })).GetProperty("code").GetString());

        var log = await alice.GetAsync("/api/rooms/socket-mod/moderation");
        Assert.Equal(0, log.Json.GetProperty("actions").GetArrayLength());
        Assert.Equal("joined", TestClient.Type(await bob.JoinAsync("socket-mod")));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_with_its_callers_and_examples()
    {
        var document = await ApiClient.Anonymous(Cluster.Fronts[0]).GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, document.Status);
        var paths = document.Json.GetProperty("paths");
        foreach (var (path, method) in new[]
        {
            ("/api/rooms", "post"), ("/api/rooms/{room}", "get"), ("/api/rooms/{room}", "patch"), ("/api/rooms/{room}", "delete"),
            ("/api/rooms/{room}/members", "get"), ("/api/rooms/{room}/members/{user}", "put"), ("/api/rooms/{room}/members/{user}", "delete"),
            ("/api/rooms/{room}/moderation", "post"), ("/api/rooms/{room}/moderation", "get"),
            ("/api/rooms/{room}/messages", "post"), ("/api/rooms/{room}/messages", "get"), ("/api/me/unread", "get"),
        })
        {
            var operation = paths.GetProperty(path).GetProperty(method);
            Assert.StartsWith("Callers:", operation.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} documents no 401");
        }

        var schemas = document.Json.GetProperty("components").GetProperty("schemas");
        var create = schemas.GetProperty("CreateRoomRequest");
        Assert.Equal("team-42", create.GetProperty("examples")[0].GetProperty("name").GetString());
        Assert.Equal(["name"], create.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(document.Json.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("apiKey", out _));
    }

    private static void AssertProblem(string name, ApiResponse response, HttpStatusCode status, string type)
    {
        Assert.True(status == response.Status, $"{name}: expected {status}, got {response.Status} {response.Body}");
        Assert.True(response.ContentType == "application/problem+json", $"{name}: content type {response.ContentType}");
        Assert.True(type == response.ProblemType, $"{name}: expected problem type {type}, got {response.ProblemType}");
        var problem = response.Json;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        var text = problem.GetRawText();
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("seed", text, StringComparison.Ordinal);
    }

    /// <summary>Everything a refusal could have changed: the room, its members, its history and its moderation log.</summary>
    private async Task<string> SnapshotAsync(ApiClient owner)
    {
        var room = await owner.GetAsync($"/api/rooms/{Room}");
        var members = await owner.GetAsync($"/api/rooms/{Room}/members");
        var history = await owner.GetAsync($"/api/rooms/{Room}/messages");
        var log = await owner.GetAsync($"/api/rooms/{Room}/moderation");
        var rooms = await ApiClient.AsUser(Cluster.Fronts[0], "bob").GetAsync("/api/me/unread");
        return JsonSerializer.Serialize(new[] { room.Json, members.Json, history.Json, log.Json, rooms.Json });
    }
}
