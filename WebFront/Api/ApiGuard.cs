using Messaging.Rooms;
using Messaging.WebFront.Auth;
using Microsoft.AspNetCore.Http;

namespace Messaging.WebFront.Api;

/// <summary>The checks every endpoint makes before it calls a grain: a valid room name the caller may name, and a service's scope.</summary>
internal static class ApiGuard
{
    /// <summary>Null when <paramref name="room"/> is a room name <paramref name="caller"/> may address; a direct room exists only for its two users.</summary>
    public static IResult? CheckRoom(ApiCaller caller, string room, bool settings = false)
    {
        if (!RoomName.IsValid(room))
        {
            return ApiProblems.BadRequest("A room name is 1 to 128 characters from A-Z a-z 0-9 _ . : -");
        }

        if (room.StartsWith(DirectRoom.Prefix, StringComparison.Ordinal))
        {
            // Direct rooms have no settings, members or moderators; their messages belong to two users.
            if (settings || (!caller.IsService && !DirectRoom.MayAccess(room, caller.Id)))
            {
                return ApiProblems.NotFound();
            }
        }

        return null;
    }

    /// <summary>Null when a service holds one of <paramref name="scopes"/> (users are checked by the room).</summary>
    public static IResult? CheckScope(ApiCaller caller, params string[] scopes) =>
        !caller.IsService || scopes.Any(caller.Has) ? null : ApiProblems.MissingScope(scopes[0]);

    public static IResult? CheckUser(string? user, string field) =>
        JwtBearerSetup.IsValidUserId(user) ? null : ApiProblems.BadRequest($"'{field}' must be a user id of 1 to {JwtBearerSetup.MaxUserIdLength} characters, without control characters.");

    /// <summary>The caller, which authorization guarantees; a principal without <c>sub</c> never gets this far.</summary>
    public static ApiCaller Caller(HttpContext context) =>
        ApiCaller.From(context.User) ?? throw new InvalidOperationException("An authorized API request without a subject.");
}
