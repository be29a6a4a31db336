using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Messaging.WebFront.Auth;

/// <summary>
/// Pins token validation: HS256 only, lifetime required, skew at most 30 s, issuer and audience
/// when configured. Browsers cannot set headers on a WebSocket, so <c>access_token</c> in the
/// query is accepted too (and kept out of request logs, see the hosting setup).
/// </summary>
internal sealed class JwtBearerSetup(IOptions<AuthOptions> auth, SigningKeys keys) : IConfigureNamedOptions<JwtBearerOptions>
{
    public const int MaxUserIdLength = 256;

    public void Configure(string? name, JwtBearerOptions options)
    {
        var settings = auth.Value;
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            IssuerSigningKey = keys.Key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ValidateIssuerSigningKey = true,
            ValidateIssuer = settings.Issuer is not null,
            ValidIssuer = settings.Issuer,
            ValidateAudience = settings.Audience is not null,
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,
            NameClaimType = "sub",
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                if (!context.Request.Headers.ContainsKey("Authorization") &&
                    context.Request.Query.TryGetValue("access_token", out var token))
                {
                    context.Token = token.ToString();
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                // Refusals carry problem details, for the socket handshake and the HTTP API alike.
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Api.ApiProblems.Unauthorized("Send a valid, unexpired bearer token (or, for the HTTP API, an API key).")
                    .ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            },
            OnTokenValidated = context =>
            {
                var sub = context.Principal?.FindFirst("sub")?.Value;
                if (!IsValidUserId(sub))
                {
                    context.Fail("The token's sub claim is not a valid user id.");
                }

                return Task.CompletedTask;
            },
        };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    /// <summary>A user id is 1..256 characters with no control characters.</summary>
    public static bool IsValidUserId(string? user) =>
        !string.IsNullOrEmpty(user) && user.Length <= MaxUserIdLength && !user.Any(char.IsControl);
}
