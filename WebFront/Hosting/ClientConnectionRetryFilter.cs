using Microsoft.Extensions.Logging;

namespace Messaging.WebFront.Hosting;

/// <summary>Keeps a cluster-mode front trying to reach the silos at start instead of giving up.</summary>
internal sealed partial class ClientConnectionRetryFilter(ILogger<ClientConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetrying(exception.Message);
        await Task.Delay(Delay, cancellationToken).ConfigureAwait(false);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the cluster yet ({Reason}); retrying.")]
    private partial void LogRetrying(string reason);
}
