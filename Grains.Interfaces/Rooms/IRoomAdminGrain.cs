namespace Messaging.Rooms;

/// <summary>
/// A room's settings, members, roles and moderation: the same grain as <see cref="IRoomGrain"/>
/// (so checks on the message path see every change at once), behind a contract of its own for
/// the HTTP API. Every call says who asks; the room decides what that caller may see and do.
/// </summary>
[Alias("messaging.IRoomAdminGrain")]
public interface IRoomAdminGrain : IGrainWithStringKey
{
    /// <summary>Creates the room as a private room; <see cref="RoomStatus.Conflict"/> when the name was ever used.</summary>
    [Alias("CreateAsync")]
    Task<RoomReply<RoomInfo>> CreateAsync(RoomActor actor, NewRoom room);

    [Alias("GetInfoAsync")]
    Task<RoomReply<RoomInfo>> GetInfoAsync(RoomActor actor);

    [Alias("UpdateAsync")]
    Task<RoomReply<RoomInfo>> UpdateAsync(RoomActor actor, RoomUpdate update);

    /// <summary>Deletes the room and its history; its members are removed now and the name is never used again.</summary>
    [Alias("DeleteAsync")]
    Task<RoomReply<bool>> DeleteAsync(RoomActor actor);

    [Alias("GetMembersAsync")]
    Task<RoomReply<IReadOnlyList<RoomMember>>> GetMembersAsync(RoomActor actor);

    /// <summary>Adds <paramref name="user"/> with <paramref name="role"/>, or changes its role.</summary>
    [Alias("SetMemberAsync")]
    Task<RoomReply<RoomMember>> SetMemberAsync(RoomActor actor, string user, RoomRole role);

    [Alias("RemoveMemberAsync")]
    Task<RoomReply<bool>> RemoveMemberAsync(RoomActor actor, string user);

    /// <summary>Kicks, bans, unbans, mutes or unmutes <paramref name="user"/>; takes effect on live connections at once and is recorded.</summary>
    [Alias("ModerateAsync")]
    Task<RoomReply<ModerationRecord>> ModerateAsync(RoomActor actor, ModerationAction action, string user, string? reason);

    /// <summary>Recorded moderation actions, newest first, with id below <paramref name="beforeId"/> (null: the newest).</summary>
    [Alias("GetModerationLogAsync")]
    Task<RoomReply<IReadOnlyList<ModerationRecord>>> GetModerationLogAsync(RoomActor actor, long? beforeId, int limit);

    /// <summary>
    /// Stores a message from a backend (as <see cref="SendRequest.From"/>, which may be <c>system</c>)
    /// on the room's one ordered path: same seq, ack-after-commit and cid rules as a socket send,
    /// without the sender's membership checks (the front has checked the service's scope).
    /// </summary>
    [Alias("PublishAsync")]
    Task<SendResult> PublishAsync(SendRequest request);

    /// <summary>A page of history for <paramref name="actor"/>: a service reads any room that exists, a user as on the socket.</summary>
    [Alias("GetHistoryForAsync")]
    Task<RoomHistory> GetHistoryForAsync(RoomActor actor, long? beforeSeq, int limit);
}
