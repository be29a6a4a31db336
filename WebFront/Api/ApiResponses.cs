using System.Text.Json;
using Messaging.Rooms;
using Messaging.Users;

namespace Messaging.WebFront.Api;

// Response bodies of the HTTP API; JSON bodies and metadata are passed through as the JSON they are.
// Optional fields (with a default) are left out when empty, and the OpenAPI document says so.

internal sealed record RoomResponse(string Name, bool Private, int Members, long LastSeq, string? Title = null, JsonElement? Metadata = null, DateTimeOffset? CreatedAt = null, RoomRole? Role = null)
{
    public static RoomResponse From(RoomInfo info) =>
        new(info.Name, info.Private, info.Members, info.LastSeq, info.Title, ApiJson.Parse(info.Metadata), info.CreatedAt, info.Role);
}

internal sealed record MemberResponse(string User, RoomRole Role)
{
    public static MemberResponse From(RoomMember member) => new(member.User, member.Role);
}

internal sealed record MembersResponse(string Room, IReadOnlyList<MemberResponse> Members);

internal sealed record ModerationResponse(long Id, DateTimeOffset At, string Actor, ModerationAction Action, string User, string? Reason = null)
{
    public static ModerationResponse From(ModerationRecord record) =>
        new(record.Id, DateTimeOffset.FromUnixTimeMilliseconds(record.At), record.Actor, record.Action, record.Target, record.Reason);
}

internal sealed record ModerationLogResponse(string Room, IReadOnlyList<ModerationResponse> Actions);

internal sealed record PublishResponse(string Room, long Seq, bool Duplicate);

internal sealed record MessageResponse(long Seq, string From, JsonElement Body, long Ts, string? Cid = null)
{
    public static MessageResponse Of(StoredMessage message) =>
        new(message.Seq, message.From, ApiJson.Parse(message.Body) ?? default, message.Ts, message.Cid);
}

internal sealed record HistoryResponse(string Room, IReadOnlyList<MessageResponse> Messages);

internal sealed record UnreadRoomResponse(string Room, long Unread, long LastSeq, long ReadSeq)
{
    public static UnreadRoomResponse From(UnreadCount count) => new(count.Room, count.Unread, count.LastSeq, count.ReadSeq);
}

internal sealed record UnreadResponse(IReadOnlyList<UnreadRoomResponse> Rooms);
