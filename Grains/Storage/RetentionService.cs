using Messaging.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Storage;

/// <summary>
/// Prunes message history older than <see cref="RetentionOptions.MaxAge"/>, in small batches. Every
/// silo runs it; a delete is idempotent, so two silos pruning at once only share the work.
/// Seqs stay monotonic because the newest row of each room is never deleted.
/// </summary>
internal sealed partial class RetentionService(
    IMessageStore store,
    IOptions<RetentionOptions> options,
    StorageMetrics metrics,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.MaxAge is not { } maxAge)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.PrunePeriod, time);
        do
        {
            try
            {
                await PruneAsync(maxAge, settings.BatchSize, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be down; the next period tries again.
                LogPruneFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task PruneAsync(TimeSpan maxAge, int batchSize, CancellationToken cancellationToken)
    {
        var cutoff = (time.GetUtcNow() - maxAge).ToUnixTimeMilliseconds();
        long total = 0;
        int removed;
        do
        {
            removed = await store.PruneAsync(cutoff, batchSize, cancellationToken).ConfigureAwait(false);
            total += removed;
        }
        while (removed == batchSize);

        if (total > 0)
        {
            metrics.Pruned(total);
            LogPruned(total, maxAge);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention pruned {Count} messages older than {MaxAge}.")]
    private partial void LogPruned(long count, TimeSpan maxAge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pruning failed; retrying next period.")]
    private partial void LogPruneFailed(Exception exception);
}
