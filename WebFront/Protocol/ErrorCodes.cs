namespace Messaging.WebFront.Protocol;

/// <summary>The protocol's <c>error.code</c> values; clients switch on these, so they never change.</summary>
internal static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string RateLimited = "rate_limited";
    public const string TooLarge = "too_large";
    public const string Unavailable = "unavailable";
    public const string Internal = "internal";
}
