using System.Text;
using System.Text.Json;
using Messaging.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Messaging.WebFront.Api;

/// <summary>
/// <c>/api/rooms</c>: create, read, update and delete private rooms. Users act by their role in the
/// room (the creator is its owner); services need <c>rooms:admin</c>.
/// </summary>
internal static class RoomsApi
{
    public static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options, IOptions<JsonOptions> json)
    {
        var caller = ApiGuard.Caller(context);
        if (ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) is { } refused)
        {
            return refused;
        }

        var (request, problem) = await ApiJson.ReadAsync<CreateRoomRequest>(context, options.Value.MaxBodyBytes, json.Value.SerializerOptions).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (request!.Name is null)
        {
            return ApiProblems.BadRequest("The field 'name' is required.");
        }

        if (ApiGuard.CheckRoom(caller, request.Name, settings: true) is { } badName)
        {
            return badName is IStatusCodeHttpResult { StatusCode: StatusCodes.Status404NotFound }
                ? ApiProblems.BadRequest($"Room names starting with '{DirectRoom.Prefix}' are kept for direct messages.")
                : badName;
        }

        if (request.Owner is not null && (!caller.IsService ? ApiProblems.BadRequest("Only a service names the owner; a user creating a room owns it.") : ApiGuard.CheckUser(request.Owner, "owner")) is { } badOwner)
        {
            return badOwner;
        }

        var members = new List<RoomMember>();
        foreach (var member in request.Members ?? [])
        {
            if (member is null || ApiGuard.CheckUser(member.User, "members[].user") is not null)
            {
                return ApiProblems.BadRequest("Each of 'members' needs a 'user' (a user id) and may give a 'role' (member, admin or owner).");
            }

            members.Add(new RoomMember(member.User!, member.Role ?? RoomRole.Member));
        }

        if (CheckSettings(request.Title, request.Metadata, options.Value) is { } badSettings)
        {
            return badSettings;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(request.Name)
            .CreateAsync(caller.Actor, new NewRoom(request.Title, MetadataText(request.Metadata), request.Owner, members)).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok
            ? Results.Created($"/api/rooms/{request.Name}", RoomResponse.From(reply.Value!))
            : ApiProblems.For(reply.Status, reply.Message);
    }

    public static async Task<IResult> GetAsync(string room, HttpContext context, IGrainFactory grains)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true)) is { } refused)
        {
            return refused;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).GetInfoAsync(caller.Actor).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok ? Results.Ok(RoomResponse.From(reply.Value!)) : ApiProblems.For(reply.Status, reply.Message);
    }

    public static async Task<IResult> UpdateAsync(string room, HttpContext context, IGrainFactory grains, IOptions<ApiOptions> options, IOptions<JsonOptions> json)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true)) is { } refused)
        {
            return refused;
        }

        var (request, problem) = await ApiJson.ReadAsync<UpdateRoomRequest>(context, options.Value.MaxBodyBytes, json.Value.SerializerOptions).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (CheckSettings(request!.Title, request.Metadata, options.Value) is { } badSettings)
        {
            return badSettings;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).UpdateAsync(caller.Actor, new RoomUpdate(request.Title, MetadataText(request.Metadata))).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok ? Results.Ok(RoomResponse.From(reply.Value!)) : ApiProblems.For(reply.Status, reply.Message);
    }

    public static async Task<IResult> DeleteAsync(string room, HttpContext context, IGrainFactory grains)
    {
        var caller = ApiGuard.Caller(context);
        if ((ApiGuard.CheckScope(caller, ApiScopes.RoomsAdmin) ?? ApiGuard.CheckRoom(caller, room, settings: true)) is { } refused)
        {
            return refused;
        }

        var reply = await grains.GetGrain<IRoomAdminGrain>(room).DeleteAsync(caller.Actor).ConfigureAwait(false);
        return reply.Status == RoomStatus.Ok ? Results.NoContent() : ApiProblems.For(reply.Status, reply.Message);
    }

    private static IResult? CheckSettings(string? title, JsonElement? metadata, ApiOptions options)
    {
        if (title is not null && (title.Length == 0 || title.Length > options.MaxTitleLength || title.Any(char.IsControl)))
        {
            return ApiProblems.BadRequest($"'title' must be 1 to {options.MaxTitleLength} characters, without control characters.");
        }

        if (metadata is null)
        {
            return null;
        }

        if (metadata.Value.ValueKind is not JsonValueKind.Object)
        {
            return ApiProblems.BadRequest("'metadata' must be a JSON object.");
        }

        return Encoding.UTF8.GetByteCount(metadata.Value.GetRawText()) > options.MaxMetadataBytes
            ? ApiProblems.BadRequest($"'metadata' may be at most {options.MaxMetadataBytes} bytes of JSON.")
            : null;
    }

    private static string? MetadataText(JsonElement? metadata) =>
        metadata is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;
}
