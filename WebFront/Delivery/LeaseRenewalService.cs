using Microsoft.Extensions.Hosting;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// Renews every room lease of this front on a period well inside the rooms' lease, and its users'
/// entries less often, a slice at a time (see <see cref="RenewalSlices"/>).
/// </summary>
internal sealed class LeaseRenewalService(FrontDelivery delivery, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(delivery.Slices.Tick, time);
        long tick = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            delivery.RenewSlice(tick++);
        }
    }
}
