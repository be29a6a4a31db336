using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Messaging.WebFront.Auth;

/// <summary><c>POST /dev/token</c>: a signed token for any user name, so a newcomer can connect in a minute.</summary>
internal static class DevTokenEndpoint
{
    public static IResult Issue(DevTokenRequest? request, SigningKeys keys, IOptions<AuthOptions> auth, TimeProvider time)
    {
        var user = request?.User;
        if (!JwtBearerSetup.IsValidUserId(user))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Invalid user",
                detail: "Send {\"user\":\"alice\"}: 1 to 256 characters, no control characters.",
                type: "https://messaging.dev/problems/invalid-user");
        }

        var now = time.GetUtcNow();
        var expires = now + auth.Value.DevTokenLifetime;
        var token = CreateToken(keys, auth.Value, user!, now, expires);
        return Results.Ok(new DevTokenResponse(token, user!, expires.ToUnixTimeSeconds()));
    }

    /// <summary>A token this front accepts: signed with its key, with the configured issuer and audience.</summary>
    public static string CreateToken(SigningKeys keys, AuthOptions settings, string user, DateTimeOffset now, DateTimeOffset expires) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", user)]),
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
}

internal sealed record DevTokenRequest([property: JsonPropertyName("user")] string? User);

internal sealed record DevTokenResponse(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("expires")] long Expires);
