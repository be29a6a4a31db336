using System.Text.Json;
using Messaging.Rooms;
using Messaging.WebFront.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Messaging.WebFront.Api;

/// <summary>
/// <c>/api/rooms/{room}/messages</c>: publish on the room's one ordered path (same seq, ack after
/// commit, and <c>Idempotency-Key</c> as the socket's <c>cid</c>), and read history like the socket.
/// </summary>
internal static class MessagesApi
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string SystemSender = "system";

    public static async Task<IResult> PublishAsync(string room, HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options, IOptions<JsonOptions> json)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.MessagesPublish) ?? ApiGuard.CheckRoom(caller, room)) is { } refused)
        {
            return refused;
        }

        string? cid = null;
        if (context.Request.Headers.TryGetValue(IdempotencyHeader, out var keys))
        {
            cid = keys.Count == 1 ? keys[0] : null;
            if (cid is null or { Length: 0 or > FrameParser.MaxCidLength })
            {
                return ApiProblems.BadRequest($"'{IdempotencyHeader}' must be one value of 1 to {FrameParser.MaxCidLength} characters.");
            }
        }

        var (request, problem) = await ApiJson.ReadAsync<PublishRequest>(context, options.Value.MaxBodyBytes, json.Value.SerializerOptions).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (request!.Body.ValueKind == JsonValueKind.Undefined)
        {
            return ApiProblems.BadRequest("The field 'body' is required (any JSON value).");
        }

        var from = caller.IsService ? request.From ?? SystemSender : caller.Id;
        var badSender = caller.IsService
            ? ApiGuard.CheckUser(from, "from")
            : request.From is not null && request.From != caller.Id ? ApiProblems.Forbidden("A user publishes as itself; only services name the sender.") : null;
        if (badSender is not null)
        {
            return badSender;
        }

        var send = new SendRequest(from, request.Body.GetRawText(), cid);
        var result = caller.IsService
            ? await grains.GetGrain<IRoomAdminGrain>(room).PublishAsync(send).ConfigureAwait(false)
            : (await grains.GetGrain<IRoomGrain>(room).SendManyAsync(frontId: null, [send]).ConfigureAwait(false))[0];
        return result.Status switch
        {
            SendStatus.Stored => Results.Ok(new PublishResponse(room, result.Seq, result.Duplicate)),
            SendStatus.NotFound => ApiProblems.NotFound(),
            SendStatus.Muted => ApiProblems.Forbidden("You are muted in this room."),
            SendStatus.Banned => ApiProblems.Forbidden("You are banned from this room."),
            _ => ApiProblems.Unavailable("Storage is unavailable; the message was not stored. Retry with the same Idempotency-Key."),
        };
    }

    public static async Task<IResult> HistoryAsync(string room, HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options)
    {
        var caller = ApiGuard.Caller(context);
        var (paging, badPaging) = ApiPaging.Parse(context.Request, options.Value);
        if ((ApiGuard.CheckScope(caller, ApiScopes.MessagesRead, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room) ?? badPaging) is { } refused)
        {
            return refused;
        }

        var page = await grains.GetGrain<IRoomAdminGrain>(room).GetHistoryForAsync(caller.Actor, paging.Before, paging.Limit).ConfigureAwait(false);
        return page.Access switch
        {
            RoomAccess.Allowed => Results.Ok(new HistoryResponse(room, [.. page.Messages.Select(MessageResponse.Of)])),
            RoomAccess.Banned => ApiProblems.Forbidden("You are banned from this room."),
            _ => ApiProblems.NotFound(),
        };
    }
}
