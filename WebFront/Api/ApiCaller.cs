using System.Security.Claims;
using Messaging.Rooms;

namespace Messaging.WebFront.Api;

/// <summary>
/// Who calls the API: a user (a JWT whose <c>sub</c> is the user id) or a backend service (a JWT
/// with a <c>scope</c> claim, or an API key), with the scopes it holds.
/// </summary>
internal sealed record ApiCaller(string Id, bool IsService, IReadOnlySet<string> Scopes)
{
    public const string ScopeClaim = "scope";

    public RoomActor Actor => IsService ? RoomActor.Service(Id) : RoomActor.User(Id);

    public bool Has(string scope) => Scopes.Contains(scope);

    public static ApiCaller? From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirst("sub")?.Value;
        if (id is null)
        {
            return null;
        }

        // OAuth writes scopes space-separated in one claim; some issuers write one claim each.
        var scopes = principal.FindAll(ScopeClaim)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var isService = scopes.Count > 0 || principal.HasClaim(c => c.Type == ScopeClaim);
        return new ApiCaller(id, isService, scopes);
    }
}
