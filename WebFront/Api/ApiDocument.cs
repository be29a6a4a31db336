using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Messaging.WebFront.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>: who may call what, the two ways to authenticate, and an example of every body.</summary>
internal static class ApiDocument
{
    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(CreateRoomRequest)] = """{"name":"team-42","title":"Team 42","metadata":{"game":"chess"},"owner":"alice","members":[{"user":"bob","role":"member"}]}""",
        [typeof(UpdateRoomRequest)] = """{"title":"Team 42 (finals)","metadata":{"game":"chess","round":2}}""",
        [typeof(SetMemberRequest)] = """{"role":"admin"}""",
        [typeof(ModerationRequest)] = """{"action":"mute","user":"bob","reason":"spam"}""",
        [typeof(PublishRequest)] = """{"body":{"text":"The match starts in 5 minutes."},"from":"system"}""",
        [typeof(RoomResponse)] = """{"name":"team-42","private":true,"title":"Team 42","metadata":{"game":"chess"},"createdAt":"2026-11-25T08:00:00+00:00","members":2,"lastSeq":17,"role":"owner"}""",
        [typeof(MembersResponse)] = """{"room":"team-42","members":[{"user":"alice","role":"owner"},{"user":"bob","role":"member"}]}""",
        [typeof(MemberResponse)] = """{"user":"bob","role":"admin"}""",
        [typeof(ModerationResponse)] = """{"id":7,"at":"2026-11-25T08:05:00+00:00","actor":"alice","action":"mute","user":"bob","reason":"spam"}""",
        [typeof(ModerationLogResponse)] = """{"room":"team-42","actions":[{"id":7,"at":"2026-11-25T08:05:00+00:00","actor":"alice","action":"mute","user":"bob","reason":"spam"}]}""",
        [typeof(PublishResponse)] = """{"room":"team-42","seq":18,"duplicate":false}""",
        [typeof(HistoryResponse)] = """{"room":"team-42","messages":[{"seq":18,"from":"system","body":{"text":"The match starts in 5 minutes."},"ts":1795600000000,"cid":"match-start"}]}""",
        [typeof(UnreadResponse)] = """{"rooms":[{"room":"lobby","unread":3,"lastSeq":120,"readSeq":117},{"room":"team-42","unread":18,"lastSeq":18,"readSeq":0}]}""",
    };

    public static string Callers(string users, string scope) => $"Callers: {users}; services with the scope {scope}.";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Messaging HTTP API",
                Version = "v1",
                Description =
                    "For backends and apps: private rooms, members and roles, moderation, server-side publish, history and unread counts. " +
                    "Authenticate as a user with its JWT (sub = user id), or as a service with a JWT carrying a 'scope' claim " +
                    "(rooms:admin, messages:publish, messages:read) or an API key in X-Api-Key. " +
                    "Errors are RFC 9457 problem details; 'type' is stable. A private room answers 404 to anyone who is not a member.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A user's token, or a service token with a 'scope' claim.",
            };
            document.Components.SecuritySchemes["apiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "A backend's API key from the Api:Keys configuration.",
            };
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
            {
                schema.Examples = [JsonNode.Parse(example)!];
            }

            return Task.CompletedTask;
        });
    }
}
