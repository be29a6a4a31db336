using Messaging.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Messaging.WebFront.Api;

/// <summary>
/// <c>/api/rooms/{room}/members</c>: list, add (or change the role of) and remove members. Admins
/// manage members, owners also admins and owners; anyone may remove themselves.
/// </summary>
internal static class MembersApi
{
    public static async Task<IResult> ListAsync(string room, HttpContext context, IGrainFactory grains)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true)) is { } refused)
        {
            return refused;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).GetMembersAsync(caller.Actor).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok
            ? Results.Ok(new MembersResponse(room, [.. reply.Value!.Select(MemberResponse.From)]))
            : ApiProblems.For(reply.Status, reply.Message);
    }

    public static async Task<IResult> SetAsync(string room, string user, HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options, IOptions<JsonOptions> json)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true) ?? ApiGuard.CheckUser(user, "user")) is { } refused)
        {
            return refused;
        }

        // The body is optional: without one the user becomes a plain member.
        var role = RoomRole.Member;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var (request, problem) = await ApiJson.ReadAsync<SetMemberRequest>(context, options.Value.MaxBodyBytes, json.Value.SerializerOptions).ConfigureAwait(false);
            if (problem is not null)
            {
                return problem;
            }

            role = request!.Role ?? RoomRole.Member;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).SetMemberAsync(caller.Actor, user, role).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok ? Results.Ok(MemberResponse.From(reply.Value!)) : ApiProblems.For(reply.Status, reply.Message);
    }

    public static async Task<IResult> RemoveAsync(string room, string user, HttpContext context, IGrainFactory grains)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true) ?? ApiGuard.CheckUser(user, "user")) is { } refused)
        {
            return refused;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).RemoveMemberAsync(caller.Actor, user).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok ? Results.NoContent() : ApiProblems.For(reply.Status, reply.Message);
    }
}
