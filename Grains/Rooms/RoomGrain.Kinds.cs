using Messaging.Rooms.Kinds;
using Microsoft.Extensions.Logging;

namespace Messaging.Rooms;

/// <summary>
/// A room's kind, when its name has a registered prefix: hooks on join, send, signal and call, a
/// tick while members are present, and state kept with the room's grain state. Plain rooms never
/// get here: every entry point checks <see cref="_kind"/> first.
/// </summary>
internal sealed partial class RoomGrain
{
    private RoomKind? _kind;
    private IGrainTimer? _tickTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (_kinds.IsEmpty || _kinds.Create(Room, _services) is not { } kind)
        {
            return;
        }

        kind.Room = new KindContext(this);
        kind.LoadState(_state.State.KindState);
        _kind = kind;
        LogKindActivated(Room, kind.GetType().Name);
        await HookAsync(() => AsDone(kind.OnActivateAsync()), nameof(RoomKind.OnActivateAsync)).ConfigureAwait(true);
    }

    public async Task<RoomCallResult> CallAsync(string user, string method, string args)
    {
        var access = AccessFor(user);
        if (access != RoomAccess.Allowed)
        {
            return access == RoomAccess.Banned
                ? RoomCallResult.Error("forbidden", "You are banned from this room.")
                : RoomCallResult.Error("not_found", "No such room.");
        }

        if (_kind is not { } kind)
        {
            return RoomCallResult.Error("bad_request", "This room has no methods.");
        }

        var result = await HookAsync(() => kind.OnCallAsync(user, method, args), nameof(RoomKind.OnCallAsync)).ConfigureAwait(true);
        return result is null
            ? RoomCallResult.Error("internal", "The room could not answer.")
            : new RoomCallResult(result.Value, result.Code, result.Message);
    }

    /// <summary>The kind's say on a join: null when it let the user in; otherwise the refusal to answer.</summary>
    private async Task<(RoomJoinResult? Refusal, string? Welcome)> AskKindToJoinAsync(RoomKind kind, string user)
    {
        var decision = await HookAsync(() => kind.OnJoinAsync(user), nameof(RoomKind.OnJoinAsync)).ConfigureAwait(true);
        if (decision is null)
        {
            return (RoomJoinResult.Refused(RoomAccess.Refused, "The room could not take the join."), null);
        }

        return decision.Allowed ? (null, decision.Welcome) : (RoomJoinResult.Refused(RoomAccess.Refused, decision.Reason ?? "The room refused the join."), null);
    }

    /// <summary>The kind's say on a send: the request to store (perhaps rewritten), or the refusal.</summary>
    private async Task<(SendRequest? Request, SendResult? Refusal)> AskKindToSendAsync(RoomKind kind, SendRequest request)
    {
        var decision = await HookAsync(() => kind.OnSendAsync(request.From, request.Body), nameof(RoomKind.OnSendAsync)).ConfigureAwait(true);
        if (decision is null)
        {
            return (null, SendResult.Rejected("internal", "The room could not take the message."));
        }

        if (decision.Refused)
        {
            return (null, SendResult.Rejected(decision.Code!, decision.Message ?? "The room refused the message."));
        }

        return (decision.Body is null ? request : request with { Body = decision.Body }, null);
    }

    private async Task KindSignalAsync(RoomKind kind, RoomSignal signal)
    {
        if (await HookAsync(() => AsBox(kind.OnSignalAsync(signal.From, signal.Body)), nameof(RoomKind.OnSignalAsync)).ConfigureAwait(true) is true)
        {
            // The front did not deliver it locally (the join told it this room takes signals itself).
            Broadcast(static (observer, signal) => observer.OnSignalAsync(signal), signal);
        }
    }

    private void EnsureTicking()
    {
        if (_kind?.TickPeriod is not { } period || _tickTimer is not null)
        {
            return;
        }

        _tickTimer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = period,
            Period = period,
            Interleave = true,
            KeepAlive = false,
        });
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_fronts.Count == 0)
        {
            // Nobody is here: the tick stops until the next join.
            _tickTimer?.Dispose();
            _tickTimer = null;
            return;
        }

        if (_kind is { } kind)
        {
            await HookAsync(() => AsDone(kind.OnTickAsync()), nameof(RoomKind.OnTickAsync)).ConfigureAwait(true);
        }
    }

    /// <summary>Runs a hook alone (hooks never overlap each other or settings changes) within its time budget; null when it failed.</summary>
    private async Task<T?> HookAsync<T>(Func<ValueTask<T>> hook, string name)
        where T : class
    {
        await _settingsGate.WaitAsync().ConfigureAwait(true);
        try
        {
            return await hook().AsTask().WaitAsync(_kindOptions.HookTimeout).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogHookFailed(ex, Room, name);
            return null;
        }
        finally
        {
            _settingsGate.Release();
        }
    }

    // HookAsync answers null for a failed hook; hooks without a value answer this when they succeed.
    private static readonly object Done = new();

    private static async ValueTask<object> AsDone(ValueTask hook)
    {
        await hook.ConfigureAwait(true);
        return Done;
    }

    private static async ValueTask<object> AsBox(ValueTask<bool> hook) => await hook.ConfigureAwait(true);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {Room} runs {Kind}.")]
    private partial void LogKindActivated(string room, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: the kind's {Hook} failed or ran out of time.")]
    private partial void LogHookFailed(Exception exception, string room, string hook);

    /// <summary>What a kind sees of its room.</summary>
    private sealed class KindContext(RoomGrain room) : IRoomKindContext
    {
        public string Name => room.Room;

        public IReadOnlyCollection<string> Online => room._online.Keys;

        public TimeProvider Time => room._time;

        public void Broadcast(string body) =>
            room.Broadcast(static (observer, signal) => observer.OnSignalAsync(signal), new RoomSignal(room.Room, "room", string.Empty, body, null));

        public async Task<long> PublishAsync(string body, string from = "room")
        {
            // Straight onto the ordered path: a kind's own message does not pass its send hook.
            var pending = new PendingSend(new SendRequest(from, body, null));
            room._pending.Add(pending);
            room.StartFlushing();
            var result = await pending.Completion.Task.ConfigureAwait(true);
            return result.Status == SendStatus.Stored ? result.Seq : throw new StorageUnavailableException();
        }

        public async Task SaveStateAsync()
        {
            var json = room._kind!.SaveState();
            if (!await room.SaveAsync(s => s.KindState = json).ConfigureAwait(true))
            {
                throw new StorageUnavailableException();
            }
        }
    }
}
