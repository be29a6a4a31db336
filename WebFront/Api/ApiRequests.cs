using System.Text.Json;
using Messaging.Rooms;

namespace Messaging.WebFront.Api;

// Request bodies of the HTTP API. Every field is optional at the JSON level so the endpoint, not
// the serializer, says which one is missing or wrong.

/// <summary><c>POST /api/rooms</c>.</summary>
internal sealed record CreateRoomRequest(string? Name, string? Title, JsonElement Metadata, string? Owner, IReadOnlyList<MemberRequest>? Members);

/// <summary>A member to add, in <see cref="CreateRoomRequest"/>.</summary>
internal sealed record MemberRequest(string? User, RoomRole? Role);

/// <summary><c>PATCH /api/rooms/{room}</c>: fields left out stay as they are.</summary>
internal sealed record UpdateRoomRequest(string? Title, JsonElement Metadata);

/// <summary><c>PUT /api/rooms/{room}/members/{user}</c>.</summary>
internal sealed record SetMemberRequest(RoomRole? Role);

/// <summary><c>POST /api/rooms/{room}/moderation</c>.</summary>
internal sealed record ModerationRequest(ModerationAction? Action, string? User, string? Reason);

/// <summary><c>POST /api/rooms/{room}/messages</c>: <see cref="From"/> only for services (default <c>system</c>).</summary>
internal sealed record PublishRequest(JsonElement Body, string? From);
