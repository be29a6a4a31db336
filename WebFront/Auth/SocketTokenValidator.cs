using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Auth;

/// <summary>
/// Checks a socket's bearer token with the bearer handler's own options (the same handlers, keys
/// and rules as <see cref="JwtBearerSetup"/>), for handshakes answered before the HTTP pipeline.
/// </summary>
internal sealed class SocketTokenValidator(IOptionsMonitor<JwtBearerOptions> options)
{
    /// <summary>The token's user and expiry, or null when the pipeline would refuse it.</summary>
    public async ValueTask<(string User, DateTimeOffset Expires)?> ValidateAsync(string token)
    {
        var bearer = options.Get(JwtBearerDefaults.AuthenticationScheme);
        foreach (var handler in bearer.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, bearer.TokenValidationParameters).ConfigureAwait(false);
            if (!result.IsValid)
            {
                continue;
            }

            var user = result.ClaimsIdentity?.FindFirst("sub")?.Value;
            return JwtBearerSetup.IsValidUserId(user) ? (user!, new DateTimeOffset(result.SecurityToken.ValidTo, TimeSpan.Zero)) : null;
        }

        return null;
    }
}
