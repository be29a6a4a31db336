namespace Messaging.WebFront.Auth;

/// <summary>How sockets and HTTP calls are authenticated.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The largest clock skew the protocol allows when checking token lifetimes.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>HS256 key (at least 32 bytes of UTF-8). Required in cluster mode; standalone generates one under the data folder.</summary>
    public string? SigningKey { get; set; }

    /// <summary>When set, tokens must carry this <c>iss</c>.</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, tokens must carry this <c>aud</c>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// Browser origins allowed to open a socket (e.g. <c>https://chat.example.com</c>). Requests
    /// without an Origin (non-browser clients) are allowed; a same-origin page is always allowed.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary><c>POST /dev/token</c> issues tokens to anyone. Defaults to true in standalone mode only.</summary>
    public bool? DevTokens { get; set; }

    /// <summary>Lifetime of tokens issued by <c>/dev/token</c>.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public TimeSpan ClockSkew { get; set; } = MaxClockSkew;
}
