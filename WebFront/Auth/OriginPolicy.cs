using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Auth;

/// <summary>Refuses cross-site WebSocket handshakes: a browser's Origin must be allowed or the page's own.</summary>
internal sealed class OriginPolicy(IOptions<AuthOptions> options)
{
    public bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
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
               string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase) &&
               string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
