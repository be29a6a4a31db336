using Messaging.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Messaging.Operations;

/// <summary>
/// A silo's probes. <c>/healthz</c>: the process serves requests. <c>/readyz</c>: the silo has
/// joined the cluster, is not shutting down, and reaches the message store.
/// </summary>
internal static class SiloHealthEndpoints
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(3);

    public static IResult Live() => Results.Text("ok");

    public static async Task<IResult> ReadyAsync(IHostApplicationLifetime lifetime, IMessageStore store, CancellationToken cancellationToken)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return NotReady("The silo is still starting.");
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return NotReady("The silo is shutting down.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadyTimeout);
        bool reachable;
        try
        {
            reachable = await store.PingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reachable = false;
        }

        return reachable ? Results.Text("ready") : NotReady("Storage is unreachable.");
    }

    private static IResult NotReady(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: detail);
}
