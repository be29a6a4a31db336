using Messaging.Rooms;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Messaging.WebFront.Api;

/// <summary>Turns a failed grain call into 503 (try again) or 500, as problem details without internals.</summary>
internal sealed partial class ApiFailureFilter(ILogger<ApiFailureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or TimeoutException or OrleansException)
        {
            LogUnavailable(ex, context.HttpContext.Request.Path);
            return ApiProblems.Unavailable();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(ex, context.HttpContext.Request.Path);
            return ApiProblems.Internal();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API request {Path} could not be served.")]
    private partial void LogUnavailable(Exception exception, PathString path);

    [LoggerMessage(Level = LogLevel.Error, Message = "API request {Path} failed.")]
    private partial void LogFailed(Exception exception, PathString path);
}
