using Messaging.Rooms;
using Microsoft.AspNetCore.Http;

namespace Messaging.WebFront.Api;

/// <summary>
/// The API's errors as RFC 9457 problem details. <c>type</c> and <c>title</c> are stable (clients
/// switch on <c>type</c>); <c>detail</c> is a sentence for a person and never holds internals.
/// </summary>
internal static class ApiProblems
{
    public const string TypeBase = "https://messaging.dev/problems/";

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "bad-request", "Invalid request", detail);

    public static IResult Unauthorized(string detail = "Send a valid bearer token or API key.") =>
        Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Authentication required", detail);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail);

    public static IResult MissingScope(string scope) =>
        Problem(StatusCodes.Status403Forbidden, "insufficient-scope", "Insufficient scope", $"This needs a service token or API key with the scope '{scope}'.");

    public static IResult UsersOnly() =>
        Problem(StatusCodes.Status403Forbidden, "users-only", "Users only", "This endpoint answers for a user; call it with the user's token.");

    public static IResult NotFound(string detail = "No such room.") => Problem(StatusCodes.Status404NotFound, "not-found", "Not found", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "conflict", "Conflict", detail);

    public static IResult LimitExceeded(string detail) => Problem(StatusCodes.Status409Conflict, "limit-exceeded", "Limit exceeded", detail);

    public static IResult TooLarge(int maxBytes) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "too-large", "Request too large", $"The request body may be at most {maxBytes} bytes.");

    public static IResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the body as application/json.");

    public static IResult RateLimited() =>
        Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests", "Slow down; retry after the time in Retry-After.");

    public static IResult Unavailable(string detail = "The service is unavailable; nothing was changed. Try again.") =>
        Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable", detail);

    public static IResult Internal() =>
        Problem(StatusCodes.Status500InternalServerError, "internal", "Internal error", "The request failed on the server.");

    /// <summary>A room's refusal, as the matching problem.</summary>
    public static IResult For(RoomStatus status, string? message) => status switch
    {
        RoomStatus.NotFound => NotFound(message ?? "No such room."),
        RoomStatus.Forbidden => Forbidden(message ?? "Not allowed."),
        RoomStatus.Conflict => Conflict(message ?? "The room's state does not allow this."),
        RoomStatus.LimitReached => LimitExceeded(message ?? "A limit would be crossed."),
        _ => Unavailable(message ?? "The service is unavailable; nothing was changed. Try again."),
    };

    /// <summary>
    /// Gives the problems ASP.NET Core writes itself (an empty 415 from content-type matching, 404
    /// and 405 from routing) the API's stable types, so every refusal looks the same to a client.
    /// </summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type?.StartsWith(TypeBase, StringComparison.Ordinal) == true)
        {
            return;
        }

        (problem.Type, problem.Title, problem.Detail) = problem.Status switch
        {
            StatusCodes.Status400BadRequest => (TypeBase + "bad-request", "Invalid request", problem.Detail ?? "The request is malformed."),
            StatusCodes.Status404NotFound => (TypeBase + "not-found", "Not found", problem.Detail ?? "Nothing is here."),
            StatusCodes.Status405MethodNotAllowed => (TypeBase + "method-not-allowed", "Method not allowed", problem.Detail ?? "This path does not take that method."),
            StatusCodes.Status413PayloadTooLarge => (TypeBase + "too-large", "Request too large", problem.Detail ?? "The request body is too large."),
            StatusCodes.Status415UnsupportedMediaType => (TypeBase + "unsupported-media-type", "Unsupported media type", problem.Detail ?? "Send the body as application/json."),
            StatusCodes.Status500InternalServerError => (TypeBase + "internal", "Internal error", "The request failed on the server."),
            _ => (problem.Type, problem.Title, problem.Detail),
        };
    }

    private static IResult Problem(int status, string slug, string title, string detail) =>
        Results.Problem(statusCode: status, type: TypeBase + slug, title: title, detail: detail);
}
