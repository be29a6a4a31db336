using System.Diagnostics;
using Messaging.Rooms;
using Messaging.Telemetry;
using Messaging.Users;
using Messaging.WebFront.Protocol;
using Microsoft.Extensions.Logging;

namespace Messaging.WebFront.Connections;

internal sealed partial class ClientConnection
{
    private Task HandleFrameAsync(ReadOnlySpan<byte> frame)
    {
        var parsed = FrameParser.Parse(frame);
        if (!_bucket.TryTake(Stopwatch.GetTimestamp()))
        {
            // Sustained abuse: a whole burst's worth of refused frames in a row.
            if (++_strikes > _limits.CommandBurst)
            {
                Close(CloseCodes.PolicyViolation, "rate limit exceeded", drain: true);
                return Task.CompletedTask;
            }

            _metrics.RateLimited("socket");
            Enqueue(ServerFrames.Error(parsed.Command?.Id ?? parsed.ErrorId, ErrorCodes.RateLimited, "Too many commands; slow down."));
            return Task.CompletedTask;
        }

        _strikes = 0;
        if (parsed.Command is not { } command)
        {
            Enqueue(ServerFrames.Error(parsed.ErrorId, ErrorCodes.BadRequest, parsed.ErrorMessage!));
            return Task.CompletedTask;
        }

        // A direct room exists only for its two users; to anyone else it says nothing about itself.
        if (command.Room is { } room && !DirectRoom.MayAccess(room, User))
        {
            Enqueue(ServerFrames.Error(command.Id, ErrorCodes.Forbidden, "This room is private."));
            return Task.CompletedTask;
        }

        switch (command.Type)
        {
            case CommandType.Ping:
                Enqueue(ServerFrames.Pong(command.Id));
                return Task.CompletedTask;
            case CommandType.Send:
                StartSend(command);
                return Task.CompletedTask;
            case CommandType.Join:
                return JoinAsync(command);
            case CommandType.Leave:
                return LeaveAsync(command);
            case CommandType.History:
                return HistoryAsync(command);
            case CommandType.Signal:
                Signal(command);
                return Task.CompletedTask;
            case CommandType.Presence:
                return PresenceAsync(command);
            case CommandType.Dm:
                Direct(command);
                return Task.CompletedTask;
            case CommandType.Read:
                _grains.Get<IUserGrain>(User).MarkReadAsync(command.Room!, command.Seq!.Value).Ignore();
                return Task.CompletedTask;
            case CommandType.Moderate:
                return ModerateAsync(command);
            case CommandType.Call:
                return CallAsync(command);
            default:
                Enqueue(ServerFrames.Error(command.Id, ErrorCodes.BadRequest, "This command is not supported by this server yet."));
                return Task.CompletedTask;
        }
    }

    private async Task JoinAsync(ClientCommand command)
    {
        var room = command.Room!;
        bool isNew;
        lock (_rooms)
        {
            isNew = !_rooms.Contains(room);
            if (isNew && _rooms.Count >= _limits.RoomsPerConnection)
            {
                Enqueue(ServerFrames.Error(command.Id, ErrorCodes.Forbidden, $"A connection may join at most {_limits.RoomsPerConnection} rooms."));
                return;
            }

            _rooms.Add(room);
        }

        try
        {
            // The feed queues `joined` itself, ahead of the room's messages.
            var result = await _delivery.JoinAsync(room, this, command.Id, command.Since).ConfigureAwait(false);
            if (result.Access == RoomAccess.Allowed)
            {
                _metrics.Joined();
            }
            else
            {
                lock (_rooms)
                {
                    _rooms.Remove(room);
                }

                AnswerRefusal(command, result.Access, result.Reason);
            }
        }
        catch (Exception ex)
        {
            if (isNew)
            {
                lock (_rooms)
                {
                    _rooms.Remove(room);
                }

                await _delivery.LeaveAsync(room, this).ConfigureAwait(false);
            }

            AnswerFailure(command, ex);
        }
    }

    private void Signal(ClientCommand command)
    {
        // Only members speak in a room's ephemeral channel; nothing is answered on success.
        if (!IsJoined(command.Room!))
        {
            Enqueue(ServerFrames.Error(command.Id, ErrorCodes.Forbidden, "Join the room before sending signals to it."));
            return;
        }

        // Members on this front get it at once, without a round trip through the room; the room
        // passes it on to the other fronts only.
        // A room with a kind takes its signals itself (it may coalesce or drop them): no local shortcut.
        var throughRoom = _delivery.SignalsThroughRoom(command.Room!);
        var signal = new RoomSignal(command.Room!, User, Id, command.Body!, throughRoom ? null : _delivery.FrontId);
        if (!throughRoom)
        {
            _delivery.DeliverSignal(signal);

            // Every member is here (the room said so and has not taken it back): nobody to pass it to.
            if (_delivery.IsSoleFront(command.Room!))
            {
                _delivery.Metrics.SignalSent(throughRoom: false);
                return;
            }
        }

        _delivery.Metrics.SignalSent(throughRoom: true);
        _grains.Get<IRoomGrain>(command.Room!).SignalAsync(signal).Ignore();
    }

    private async Task LeaveAsync(ClientCommand command)
    {
        var room = command.Room!;
        bool removed;
        lock (_rooms)
        {
            removed = _rooms.Remove(room);
        }

        if (removed)
        {
            await _delivery.LeaveAsync(room, this).ConfigureAwait(false);
        }

        Enqueue(ServerFrames.Left(command.Id, room));
    }

    private void Direct(ClientCommand command)
    {
        var room = DirectRoom.For(User, command.To!);
        if (room is null)
        {
            Enqueue(ServerFrames.Error(command.Id, ErrorCodes.BadRequest, "Direct messages need both user ids made of A-Z a-z 0-9 _ . - only."));
            return;
        }

        StartSend(command with { Room = room });
    }

    private void StartSend(ClientCommand command)
    {
        // Queued here, in frame order; only the answer is awaited off the read loop, so a client can
        // keep many sends in flight and they share the room's next group commit, in the order sent.
        Task<SendResult> call;

        // The trace of a send starts at its frame; the read loop itself must not stay inside it.
        var outer = Activity.Current;
        var span = MessagingTelemetry.Source.StartActivity("messaging.send", ActivityKind.Server);
        span?.SetTag("messaging.room", command.Room);
        try
        {
            call = _sender.SendAsync(command.Room!, new SendRequest(User, command.Body!, command.Cid));
            _metrics.MessageReceived();
        }
        catch (Exception ex)
        {
            span?.Dispose();
            AnswerFailure(command, ex);
            return;
        }
        finally
        {
            Activity.Current = outer;
        }

        _ = CompleteSendAsync(command, call, span);
    }

    private async Task CompleteSendAsync(ClientCommand command, Task<SendResult> call, Activity? span)
    {
        using var _ = span;
        try
        {
            var result = await call.ConfigureAwait(false);
            span?.SetTag("messaging.seq", result.Seq);
            if (result.Status == SendStatus.Stored)
            {
                EnqueueAck(ServerFrames.Ack(command.Id, command.Room!, result.Seq), command.Room!, result.Seq, result.Duplicate);
                return;
            }

            Enqueue(result.Status switch
            {
                SendStatus.NotFound => ServerFrames.Error(command.Id, ErrorCodes.NotFound, NoSuchRoom),
                SendStatus.Muted => ServerFrames.Error(command.Id, ErrorCodes.Forbidden, "You are muted in this room."),
                SendStatus.Banned => ServerFrames.Error(command.Id, ErrorCodes.Forbidden, Banned),
                SendStatus.Rejected => ServerFrames.Error(command.Id, result.Code ?? ErrorCodes.Forbidden, result.Message ?? "The room refused the message."),
                _ => ServerFrames.Error(command.Id, ErrorCodes.Unavailable, "Storage is unavailable; the message was not stored. Retry with the same cid."),
            });
        }
        catch (Exception ex)
        {
            AnswerFailure(command, ex);
        }
    }

    private async Task PresenceAsync(ClientCommand command)
    {
        try
        {
            var presence = await _grains.Get<IRoomGrain>(command.Room!).GetPresenceAsync(User).ConfigureAwait(false);
            if (presence.Access != RoomAccess.Allowed)
            {
                AnswerRefusal(command, presence.Access);
                return;
            }

            Enqueue(ServerFrames.Presence(command.Id, command.Room!, presence));
        }
        catch (Exception ex)
        {
            AnswerFailure(command, ex);
        }
    }

    private async Task HistoryAsync(ClientCommand command)
    {
        try
        {
            var page = await _grains.Get<IRoomGrain>(command.Room!).GetHistoryAsync(User, command.Before, command.Limit ?? FrameParser.DefaultHistoryLimit).ConfigureAwait(false);
            if (page.Access != RoomAccess.Allowed)
            {
                AnswerRefusal(command, page.Access);
                return;
            }

            Enqueue(ServerFrames.History(command.Id, command.Room!, page.Messages));
        }
        catch (Exception ex)
        {
            AnswerFailure(command, ex);
        }
    }

    private async Task ModerateAsync(ClientCommand command)
    {
        try
        {
            var reply = await _grains.Get<IRoomAdminGrain>(command.Room!)
                .ModerateAsync(RoomActor.User(User), command.Action!.Value, command.User!, command.Reason).ConfigureAwait(false);
            Enqueue(reply.Status switch
            {
                RoomStatus.Ok => ServerFrames.Ok(command.Id),
                RoomStatus.NotFound => ServerFrames.Error(command.Id, ErrorCodes.NotFound, NoSuchRoom),
                RoomStatus.Unavailable => ServerFrames.Error(command.Id, ErrorCodes.Unavailable, reply.Message!),
                _ => ServerFrames.Error(command.Id, ErrorCodes.Forbidden, reply.Message!),
            });
        }
        catch (Exception ex)
        {
            AnswerFailure(command, ex);
        }
    }

    private async Task CallAsync(ClientCommand command)
    {
        if (!IsJoined(command.Room!))
        {
            Enqueue(ServerFrames.Error(command.Id, ErrorCodes.Forbidden, "Join the room before calling it."));
            return;
        }

        try
        {
            var result = await _grains.Get<IRoomGrain>(command.Room!).CallAsync(User, command.Method!, command.Args!).ConfigureAwait(false);
            Enqueue(result.Code is null
                ? ServerFrames.Result(command.Id, result.Value ?? "null")
                : ServerFrames.Error(command.Id, result.Code, result.Message ?? "The call failed."));
        }
        catch (Exception ex)
        {
            AnswerFailure(command, ex);
        }
    }

    /// <summary>The room removed this connection's user; called from the room's feed.</summary>
    public void OnRemovedFromRoom(string room)
    {
        lock (_rooms)
        {
            _rooms.Remove(room);
            _implicitRooms?.Remove(room);
        }
    }

    private bool IsJoined(string room)
    {
        lock (_rooms)
        {
            return _rooms.Contains(room);
        }
    }

    /// <summary>A private room says nothing about itself to a non-member: the same answer as a room that never existed.</summary>
    private void AnswerRefusal(ClientCommand command, RoomAccess access, string? reason = null) =>
        Enqueue(access switch
        {
            RoomAccess.Banned => ServerFrames.Error(command.Id, ErrorCodes.Forbidden, Banned),
            RoomAccess.Refused => ServerFrames.Error(command.Id, ErrorCodes.Forbidden, reason ?? "The room refused the join."),
            _ => ServerFrames.Error(command.Id, ErrorCodes.NotFound, NoSuchRoom),
        });

    private const string NoSuchRoom = "No such room.";
    private const string Banned = "You are banned from this room.";

    /// <summary>Maps a failed grain call to the protocol's error, without internals.</summary>
    private void AnswerFailure(ClientCommand command, Exception exception)
    {
        if (exception is StorageUnavailableException or TimeoutException or OrleansException)
        {
            LogCommandUnavailable(exception, command.Type, command.Room);
            Enqueue(ServerFrames.Error(command.Id, ErrorCodes.Unavailable, "The service is unavailable; try again."));
            return;
        }

        LogCommandFailed(exception, command.Type, command.Room);
        Enqueue(ServerFrames.Error(command.Id, ErrorCodes.Internal, "The command failed on the server."));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} in room {Room} could not be served.")]
    private partial void LogCommandUnavailable(Exception exception, CommandType command, string? room);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Command} in room {Room} failed.")]
    private partial void LogCommandFailed(Exception exception, CommandType command, string? room);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leaving room {Room} failed.")]
    private partial void LogLeaveFailed(Exception exception, string room);
}
