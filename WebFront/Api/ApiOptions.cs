namespace Messaging.WebFront.Api;

/// <summary>The <c>Api</c> section: limits of the HTTP API for backends, its API keys and its rate limit.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The largest request body; larger ones are refused with 413 before they are read.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The largest page of history or of the moderation log (the socket's history stops at 100 too).</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>The largest room metadata object, in UTF-8 bytes of its JSON.</summary>
    public int MaxMetadataBytes { get; set; } = 4096;

    /// <summary>The longest room title, in characters.</summary>
    public int MaxTitleLength { get; set; } = 200;

    /// <summary>Requests per second each caller may make (token bucket), and the burst above it.</summary>
    public int PermitsPerSecond { get; set; } = 20;

    public int Burst { get; set; } = 40;

    /// <summary>Keys backends may send as <c>X-Api-Key</c> instead of a service token. Set from secrets, never in appsettings.json.</summary>
    public ApiKeyOptions[] Keys { get; set; } = [];
}
