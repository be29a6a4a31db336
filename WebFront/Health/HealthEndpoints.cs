using Messaging.Health;
using Messaging.WebFront.Connections;
using Messaging.WebFront.Hosting;
using Microsoft.AspNetCore.Http;

namespace Messaging.WebFront.Health;

/// <summary><c>/healthz</c>: the process is alive. <c>/readyz</c>: warmed up, and the cluster answers and can reach storage.</summary>
internal static class HealthEndpoints
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(3);

    public static IResult Live() => Results.Text("ok");

    public static async Task<IResult> ReadyAsync(IGrainFactory grains, ConnectionRegistry connections, FrontWarmUp warmUp, CancellationToken cancellationToken)
    {
        // A draining front leaves the load balancer before its sockets are closed.
        if (connections.IsDraining)
        {
            return NotReady("This front is shutting down.");
        }

        if (!warmUp.IsDone)
        {
            return NotReady("This front is warming up.");
        }

        try
        {
            var ok = await grains.GetGrain<IHealthGrain>(0).CheckStorageAsync().WaitAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false);
            return ok ? Results.Text("ready") : NotReady("Storage is unreachable.");
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or InvalidOperationException)
        {
            return NotReady("The cluster is unreachable.");
        }
    }

    private static IResult NotReady(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready", detail: detail);
}
