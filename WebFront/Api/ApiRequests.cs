using System.Text.Json;
using Messaging.Rooms;

namespace Messaging.WebFront.Api;

// Request bodies of the HTTP API. Every field may be absent at the JSON level so the endpoint, not
// the serializer, says which one is missing or wrong; parameters without a default are the ones
// the OpenAPI document lists as required.

/// <summary><c>POST /api/rooms</c>.</summary>
internal sealed record CreateRoomRequest(string? Name, string? Title = null, JsonElement? Metadata = null, string? Owner = null, IReadOnlyList<MemberRequest>? Members = null);

/// <summary>A member to add, in <see cref="CreateRoomRequest"/>.</summary>
internal sealed record MemberRequest(string? User, RoomRole? Role = null);

/// <summary><c>PATCH /api/rooms/{room}</c>: fields left out stay as they are.</summary>
internal sealed record UpdateRoomRequest(string? Title = null, JsonElement? Metadata = null);

/// <summary><c>PUT /api/rooms/{room}/members/{user}</c>.</summary>
internal sealed record SetMemberRequest(RoomRole? Role = null);

/// <summary><c>POST /api/rooms/{room}/moderation</c>.</summary>
internal sealed record ModerationRequest(ModerationAction? Action, string? User, string? Reason = null);

/// <summary><c>POST /api/rooms/{room}/messages</c>: <see cref="From"/> only for services (default <c>system</c>).</summary>
internal sealed record PublishRequest(JsonElement Body, string? From = null);
