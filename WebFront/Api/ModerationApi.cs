using Messaging.Rooms;
using Messaging.WebFront.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Messaging.WebFront.Api;

/// <summary><c>/api/rooms/{room}/moderation</c>: the socket's <c>moderate</c> over HTTP, and the log of every action.</summary>
internal static class ModerationApi
{
    public static async Task<IResult> ModerateAsync(string room, HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options, IOptions<JsonOptions> json)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true)) is { } refused)
        {
            return refused;
        }

        var (request, problem) = await ApiJson.ReadAsync<ModerationRequest>(context, options.Value.MaxBodyBytes, json.Value.SerializerOptions).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (request!.Action is not { } action)
        {
            return ApiProblems.BadRequest("'action' must be one of kick, ban, unban, mute, unmute.");
        }

        if (ApiGuard.CheckUser(request.User, "user") is { } badUser)
        {
            return badUser;
        }

        if (request.Reason is { Length: > FrameParser.MaxReasonLength })
        {
            return ApiProblems.BadRequest($"'reason' must be at most {FrameParser.MaxReasonLength} characters.");
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).ModerateAsync(caller.Actor, action, request.User!, request.Reason).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok ? Results.Ok(ModerationResponse.From(reply.Value!)) : ApiProblems.For(reply.Status, reply.Message);
    }

    public static async Task<IResult> ListAsync(string room, HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options)
    {
        var caller = ApiGuard.Caller(context);
        var (paging, badPaging) = ApiPaging.Parse(context.Request, options.Value);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true) ?? badPaging) is { } refused)
        {
            return refused;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).GetModerationLogAsync(caller.Actor, paging.Before, paging.Limit).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok
            ? Results.Ok(new ModerationLogResponse(room, [.. reply.Value!.Select(ModerationResponse.From)]))
            : ApiProblems.For(reply.Status, reply.Message);
    }
}
