using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Auth;

/// <summary>Refuses cross-site WebSocket handshakes: a browser's Origin must be allowed or the page's own.</summary>
internal sealed class OriginPolicy(IOptions<AuthOptions> options)
{
    public bool IsAllowed(HttpRequest request) => IsAllowed(request.Headers.Origin.ToString(), request.Scheme, request.Host.Value);

    /// <param name="origin">The Origin header, empty when absent.</param>
    /// <param name="scheme">The scheme the request came in on.</param>
    /// <param name="host">The request's Host header.</param>
    public bool IsAllowed(string origin, string scheme, string? host)
    {
        if (string.IsNullOrEmpty(origin))
        {
            // Not a browser: an Origin header is how browsers mark cross-site requests.
            return true;
        }

        foreach (var allowed in options.Value.AllowedOrigins)
        {
            if (allowed == "*" || string.Equals(allowed.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri) &&
               string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase) &&
               string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase);
    }
}
