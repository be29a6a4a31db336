using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Api;

/// <summary>
/// Authenticates a backend by its <c>X-Api-Key</c> header against the configured keys. Keys are
/// compared as SHA-256 digests in constant time, so timing tells nothing about a key.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiOptions> api) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    private readonly (ApiKeyOptions Key, byte[] Digest)[] _keys =
        [.. api.Value.Keys.Select(k => (k, SHA256.HashData(Encoding.UTF8.GetBytes(k.Key))))];

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(values[0]!));
        ApiKeyOptions? match = null;
        foreach (var (key, known) in _keys)
        {
            // Every key is compared, so the time taken does not depend on which one matched.
            if (CryptographicOperations.FixedTimeEquals(digest, known))
            {
                match = key;
            }
        }

        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var claims = new List<Claim> { new("sub", match.Name) };
        claims.AddRange(match.Scopes.Select(scope => new Claim(ApiCaller.ScopeClaim, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, "sub", null));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.Unauthorized().ExecuteAsync(Context);
}
