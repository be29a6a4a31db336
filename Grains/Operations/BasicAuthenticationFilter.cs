using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Messaging.Operations;

/// <summary>
/// HTTP Basic authentication for the operator pages: a browser asks for the credentials itself.
/// Compared as SHA-256 digests in constant time, so neither the length nor a prefix leaks.
/// </summary>
internal sealed class BasicAuthenticationFilter(string user, string password) : IEndpointFilter
{
    private readonly byte[] _expected = Digest($"{user}:{password}");

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (IsAuthorized(context.HttpContext.Request.Headers.Authorization.ToString()))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"Orleans Dashboard\", charset=\"UTF-8\"";
        return ValueTask.FromResult<object?>(Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required",
            detail: "The dashboard needs the operator credentials (HTTP Basic)."));
    }

    private bool IsAuthorized(string header)
    {
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header[Scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Digest(credentials), _expected);
    }

    private static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));
}
