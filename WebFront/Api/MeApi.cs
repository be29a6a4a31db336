using Messaging.Users;
using Microsoft.AspNetCore.Http;

namespace Messaging.WebFront.Api;

/// <summary><c>/api/me</c>: what concerns the calling user.</summary>
internal static class MeApi
{
    /// <summary>Unread counts per room the user belongs to or has read, from its read markers and each room's latest seq.</summary>
    public static async Task<IResult> UnreadAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = ApiGuard.Caller(context);
        if (caller.IsService)
        {
            return ApiProblems.UsersOnly();
        }

        var counts = await grains.GetGrain<IUserGrain>(caller.Id).GetUnreadAsync().ConfigureAwait(false);
        return Results.Ok(new UnreadResponse([.. counts.Select(UnreadRoomResponse.From)]));
    }
}
