using Messaging.Users;
using Orleans.Storage;

namespace Messaging.Rooms;

/// <summary>
/// Settings, members, roles and moderation (<see cref="IRoomAdminGrain"/>). Changes run one at a
/// time under <see cref="_settingsGate"/> (the grain is reentrant for its message path) and change
/// memory only once the state write succeeded, so a failed call changes nothing.
/// </summary>
internal sealed partial class RoomGrain
{
    private const string NotFoundMessage = "No such room.";

    private readonly SemaphoreSlim _settingsGate = new(1, 1);

    public Task<RoomReply<RoomInfo>> CreateAsync(RoomActor actor, NewRoom room) => UnderGateAsync(async () =>
    {
        var state = _state.State;
        if (state.Deleted || state.CreatedAt is not null || await GetLastSeqAsync().ConfigureAwait(true) > 0)
        {
            return RoomReply<RoomInfo>.Fail(RoomStatus.Conflict, "A room with this name exists or existed.");
        }

        var members = new Dictionary<string, RoomRole>(StringComparer.Ordinal);
        foreach (var member in room.Members)
        {
            members[member.User] = member.Role;
        }

        var owner = actor.IsService ? room.Owner : actor.Id;
        if (owner is not null)
        {
            members[owner] = RoomRole.Owner;
        }

        if (members.Count > _options.MaxMembers)
        {
            return RoomReply<RoomInfo>.Fail(RoomStatus.LimitReached, $"A room may have at most {_options.MaxMembers} members.");
        }

        var now = _time.GetUtcNow();
        var added = new List<string>();
        try
        {
            foreach (var user in members.Keys)
            {
                if (!await GrainFactory.GetGrain<IUserGrain>(user).AddRoomAsync(Room).ConfigureAwait(true))
                {
                    await ForgetRoomAsync(added).ConfigureAwait(true);
                    return RoomReply<RoomInfo>.Fail(RoomStatus.LimitReached, $"The user '{user}' is a member of too many rooms.");
                }

                added.Add(user);
            }

            // Recorded before the grain state: unread counts must never reveal a private room, even
            // if the process stops between the two writes.
            await _records.MarkPrivateAsync(Room, now.ToUnixTimeMilliseconds(), CancellationToken.None).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogStorageUnavailable(ex, Room);
            await ForgetRoomAsync(added).ConfigureAwait(true);
            return RoomReply<RoomInfo>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }

        var saved = await SaveAsync(s =>
        {
            s.CreatedAt = now;
            s.Private = true;
            s.Title = room.Title;
            s.Metadata = room.Metadata;
            s.Members = members;
        }).ConfigureAwait(true);
        if (!saved)
        {
            await ForgetRoomAsync(added).ConfigureAwait(true);
            return RoomReply<RoomInfo>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }

        return RoomReply<RoomInfo>.Ok(Describe(actor));
    });

    public Task<RoomReply<RoomInfo>> GetInfoAsync(RoomActor actor) => UnderGateAsync(async () =>
    {
        await GetLastSeqAsync().ConfigureAwait(true);
        return await CanSeeAsync(actor).ConfigureAwait(true)
            ? RoomReply<RoomInfo>.Ok(Describe(actor))
            : RoomReply<RoomInfo>.Fail(RoomStatus.NotFound, NotFoundMessage);
    });

    public Task<RoomReply<RoomInfo>> UpdateAsync(RoomActor actor, RoomUpdate update) => UnderGateAsync(async () =>
    {
        if (await RefuseUnlessAsync<RoomInfo>(actor, RoomRole.Admin).ConfigureAwait(true) is { } refusal)
        {
            return refusal;
        }

        var saved = await SaveAsync(s =>
        {
            s.Title = update.Title ?? s.Title;
            s.Metadata = update.Metadata ?? s.Metadata;
        }).ConfigureAwait(true);
        return saved ? RoomReply<RoomInfo>.Ok(Describe(actor)) : RoomReply<RoomInfo>.Fail(RoomStatus.Unavailable, UnavailableMessage);
    });

    public Task<RoomReply<bool>> DeleteAsync(RoomActor actor) => UnderGateAsync(async () =>
    {
        if (await RefuseUnlessAsync<bool>(actor, RoomRole.Owner).ConfigureAwait(true) is { } refusal)
        {
            return refusal;
        }

        var formerMembers = _state.State.Members.Keys.ToList();
        try
        {
            await _records.MarkPrivateAsync(Room, _time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogStorageUnavailable(ex, Room);
            return RoomReply<bool>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }

        var saved = await SaveAsync(s =>
        {
            s.Deleted = true;
            s.Private = true;
            s.Title = null;
            s.Metadata = null;
            s.Members = new(StringComparer.Ordinal);
            s.Bans = new(StringComparer.Ordinal);
            s.Mutes = new(StringComparer.Ordinal);
        }).ConfigureAwait(true);
        if (!saved)
        {
            return RoomReply<bool>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }

        foreach (var user in _online.Keys.ToList())
        {
            Evict(user, "deleted");
        }

        await ForgetRoomAsync(formerMembers).ConfigureAwait(true);
        try
        {
            await _records.DeleteMessagesAsync(Room, CancellationToken.None).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // The room is gone for everyone already; the rows are unreachable and only take space.
            LogStorageUnavailable(ex, Room);
        }

        return RoomReply<bool>.Ok(true);
    });

    public Task<RoomReply<IReadOnlyList<RoomMember>>> GetMembersAsync(RoomActor actor) => UnderGateAsync(async () =>
    {
        if (!await CanSeeAsync(actor).ConfigureAwait(true))
        {
            return RoomReply<IReadOnlyList<RoomMember>>.Fail(RoomStatus.NotFound, NotFoundMessage);
        }

        IReadOnlyList<RoomMember> members = [.. _state.State.Members
            .OrderByDescending(m => m.Value).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new RoomMember(m.Key, m.Value))];
        return RoomReply<IReadOnlyList<RoomMember>>.Ok(members);
    });

    public Task<RoomReply<RoomMember>> SetMemberAsync(RoomActor actor, string user, RoomRole role) => UnderGateAsync(async () =>
    {
        if (await RefuseUnlessAsync<RoomMember>(actor, RoomRole.Admin).ConfigureAwait(true) is { } refusal)
        {
            return refusal;
        }

        var members = _state.State.Members;
        var current = members.TryGetValue(user, out var had) ? had : (RoomRole?)null;

        // Admins manage plain members; only an owner (or a service) grants or takes admin and owner.
        var actorRole = RoleOf(actor);
        if (actorRole < RoomRole.Owner && (role > RoomRole.Member || current > RoomRole.Member))
        {
            return RoomReply<RoomMember>.Fail(RoomStatus.Forbidden, "Only an owner may grant or change the admin and owner roles.");
        }

        if (current == RoomRole.Owner && role != RoomRole.Owner && members.Count(m => m.Value == RoomRole.Owner) == 1 && !actor.IsService)
        {
            return RoomReply<RoomMember>.Fail(RoomStatus.Conflict, "A room keeps at least one owner.");
        }

        if (current is null)
        {
            if (members.Count >= _options.MaxMembers)
            {
                return RoomReply<RoomMember>.Fail(RoomStatus.LimitReached, $"A room may have at most {_options.MaxMembers} members.");
            }

            try
            {
                if (!await GrainFactory.GetGrain<IUserGrain>(user).AddRoomAsync(Room).ConfigureAwait(true))
                {
                    return RoomReply<RoomMember>.Fail(RoomStatus.LimitReached, $"The user '{user}' is a member of too many rooms.");
                }
            }
            catch (Exception ex)
            {
                LogStorageUnavailable(ex, Room);
                return RoomReply<RoomMember>.Fail(RoomStatus.Unavailable, UnavailableMessage);
            }
        }

        if (!await SaveAsync(s => s.Members[user] = role).ConfigureAwait(true))
        {
            if (current is null)
            {
                await ForgetRoomAsync([user]).ConfigureAwait(true);
            }

            return RoomReply<RoomMember>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }

        return RoomReply<RoomMember>.Ok(new RoomMember(user, role));
    });

    public Task<RoomReply<bool>> RemoveMemberAsync(RoomActor actor, string user) => UnderGateAsync(async () =>
    {
        // Anyone who can see the room may leave it; removing others takes an admin.
        var self = !actor.IsService && actor.Id == user;
        if (await RefuseUnlessAsync<bool>(actor, self ? RoomRole.Member : RoomRole.Admin).ConfigureAwait(true) is { } refusal)
        {
            return refusal;
        }

        var members = _state.State.Members;
        if (!members.TryGetValue(user, out var role))
        {
            return RoomReply<bool>.Ok(false);
        }

        if (!self && RoleOf(actor) < RoomRole.Owner && role > RoomRole.Member)
        {
            return RoomReply<bool>.Fail(RoomStatus.Forbidden, "Only an owner may remove an admin or an owner.");
        }

        if (role == RoomRole.Owner && !actor.IsService && members.Count(m => m.Value == RoomRole.Owner) == 1)
        {
            return RoomReply<bool>.Fail(RoomStatus.Conflict, "A room keeps at least one owner.");
        }

        if (!await SaveAsync(s => s.Members.Remove(user)).ConfigureAwait(true))
        {
            return RoomReply<bool>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }

        if (_state.State.Private)
        {
            Evict(user, "removed");
        }

        await ForgetRoomAsync([user]).ConfigureAwait(true);
        return RoomReply<bool>.Ok(true);
    });

    public Task<RoomReply<ModerationRecord>> ModerateAsync(RoomActor actor, ModerationAction action, string user, string? reason) => UnderGateAsync(async () =>
    {
        if (await RefuseUnlessAsync<ModerationRecord>(actor, RoomRole.Admin).ConfigureAwait(true) is { } refusal)
        {
            return refusal;
        }

        // Moderators act on those below them: an admin cannot silence an owner or another admin.
        var targetRole = _state.State.Members.TryGetValue(user, out var role) ? role : (RoomRole?)null;
        if (!actor.IsService && targetRole >= RoleOf(actor))
        {
            return RoomReply<ModerationRecord>.Fail(RoomStatus.Forbidden, "You may only moderate users below your own role.");
        }

        var saved = action switch
        {
            ModerationAction.Ban => await SaveAsync(s => s.Bans.Add(user)).ConfigureAwait(true),
            ModerationAction.Unban => await SaveAsync(s => s.Bans.Remove(user)).ConfigureAwait(true),
            ModerationAction.Mute => await SaveAsync(s => s.Mutes.Add(user)).ConfigureAwait(true),
            ModerationAction.Unmute => await SaveAsync(s => s.Mutes.Remove(user)).ConfigureAwait(true),
            _ => true,
        };
        if (!saved)
        {
            return RoomReply<ModerationRecord>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }

        if (action is ModerationAction.Kick or ModerationAction.Ban)
        {
            Evict(user, action == ModerationAction.Kick ? "kicked" : "banned");
        }

        var at = _time.GetUtcNow().ToUnixTimeMilliseconds();
        ModerationRecord record;
        try
        {
            record = await _records.RecordModerationAsync(Room, at, actor.Id, action, user, reason, CancellationToken.None).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // The action stands (it is in the room's state); only its log entry is missing.
            LogModerationNotRecorded(ex, Room, ModerationActions.Name(action));
            record = new ModerationRecord(0, at, actor.Id, action, user, reason);
        }

        Publish(Events.RoomEventKind.Moderated, user, moderation: record);
        return RoomReply<ModerationRecord>.Ok(record);
    });

    public Task<RoomReply<IReadOnlyList<ModerationRecord>>> GetModerationLogAsync(RoomActor actor, long? beforeId, int limit) => UnderGateAsync(async () =>
    {
        if (await RefuseUnlessAsync<IReadOnlyList<ModerationRecord>>(actor, RoomRole.Admin).ConfigureAwait(true) is { } refusal)
        {
            return refusal;
        }

        try
        {
            var records = await _records.ListModerationAsync(Room, beforeId ?? long.MaxValue, Math.Clamp(limit, 1, MaxRange), CancellationToken.None).ConfigureAwait(true);
            return RoomReply<IReadOnlyList<ModerationRecord>>.Ok(records);
        }
        catch (Exception ex)
        {
            LogStorageUnavailable(ex, Room);
            return RoomReply<IReadOnlyList<ModerationRecord>>.Fail(RoomStatus.Unavailable, UnavailableMessage);
        }
    });

    public async Task<SendResult> PublishAsync(SendRequest request)
    {
        if (_state.State.Deleted)
        {
            return SendResult.Refused(SendStatus.NotFound);
        }

        var pending = new PendingSend(request);
        _pending.Add(pending);
        StartFlushing();
        return await pending.Completion.Task.ConfigureAwait(true);
    }

    public async Task<RoomHistory> GetHistoryForAsync(RoomActor actor, long? beforeSeq, int limit)
    {
        if (!actor.IsService)
        {
            return await GetHistoryAsync(actor.Id, beforeSeq, limit).ConfigureAwait(true);
        }

        return await ExistsAsync().ConfigureAwait(true)
            ? await ReadHistoryAsync(beforeSeq, limit).ConfigureAwait(true)
            : new RoomHistory(RoomAccess.NotFound, []);
    }

    private const string UnavailableMessage = "Storage is unavailable; nothing was changed.";

    private async Task<T> UnderGateAsync<T>(Func<Task<T>> action)
    {
        await _settingsGate.WaitAsync().ConfigureAwait(true);
        try
        {
            return await action().ConfigureAwait(true);
        }
        finally
        {
            _settingsGate.Release();
        }
    }

    private async Task<bool> ExistsAsync()
    {
        var state = _state.State;
        return !state.Deleted && (state.CreatedAt is not null || await GetLastSeqAsync().ConfigureAwait(true) > 0);
    }

    /// <summary>Private rooms show themselves to members and services only; public rooms to anyone once they exist.</summary>
    private async Task<bool> CanSeeAsync(RoomActor actor) =>
        await ExistsAsync().ConfigureAwait(true) && (!_state.State.Private || actor.IsService || _state.State.Members.ContainsKey(actor.Id));

    /// <summary>A service acts as an owner; a user has its role in the room, or none.</summary>
    private RoomRole? RoleOf(RoomActor actor) =>
        actor.IsService ? RoomRole.Owner : _state.State.Members.TryGetValue(actor.Id, out var role) ? role : null;

    /// <summary>Null when <paramref name="actor"/> may act with <paramref name="needed"/>; otherwise the refusal, which never reveals a private room.</summary>
    private async Task<RoomReply<T>?> RefuseUnlessAsync<T>(RoomActor actor, RoomRole needed)
    {
        if (!await CanSeeAsync(actor).ConfigureAwait(true))
        {
            return RoomReply<T>.Fail(RoomStatus.NotFound, NotFoundMessage);
        }

        return RoleOf(actor) >= needed
            ? null
            : RoomReply<T>.Fail(RoomStatus.Forbidden, needed == RoomRole.Owner ? "Only the room's owner may do this." : "Only the room's owners and admins may do this.");
    }

    /// <summary>Writes the state with <paramref name="change"/> applied to a copy; memory changes only if the write succeeds.</summary>
    private async Task<bool> SaveAsync(Action<RoomState> change)
    {
        var before = _state.State;
        var next = new RoomState
        {
            CreatedAt = before.CreatedAt,
            Private = before.Private,
            Title = before.Title,
            Metadata = before.Metadata,
            Members = new Dictionary<string, RoomRole>(before.Members, StringComparer.Ordinal),
            Bans = new HashSet<string>(before.Bans, StringComparer.Ordinal),
            Mutes = new HashSet<string>(before.Mutes, StringComparer.Ordinal),
            Deleted = before.Deleted,
            KindState = before.KindState,
        };
        change(next);
        _state.State = next;
        try
        {
            await _state.WriteStateAsync().ConfigureAwait(true);
            return true;
        }
        catch (Exception ex)
        {
            _state.State = before;
            LogStorageUnavailable(ex, Room);
            if (ex is InconsistentStateException)
            {
                // Another activation wrote first: take its record, so the next call starts from it.
                await ReloadStateAsync().ConfigureAwait(true);
            }

            return false;
        }
    }

    private async Task ReloadStateAsync()
    {
        try
        {
            await _state.ReadStateAsync().ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogStorageUnavailable(ex, Room);
        }
    }

    /// <summary>Tells the users' grains they are no longer members; best effort (a stale entry only lists a room the user cannot open).</summary>
    private async Task ForgetRoomAsync(IEnumerable<string> users)
    {
        foreach (var user in users)
        {
            try
            {
                await GrainFactory.GetGrain<IUserGrain>(user).RemoveRoomAsync(Room).ConfigureAwait(true);
            }
            catch (Exception ex)
            {
                LogStorageUnavailable(ex, Room);
            }
        }
    }

    private RoomInfo Describe(RoomActor actor)
    {
        var state = _state.State;
        return new RoomInfo(Room, state.Private, state.Title, state.Metadata, state.CreatedAt, state.Members.Count, Math.Max(_lastSeq, 0), actor.IsService ? null : RoleOf(actor));
    }
}
