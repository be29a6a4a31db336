using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// Renews every room lease of this front on a period well inside the rooms' lease, and its users'
/// entries less often, a slice at a time (see <see cref="RenewalSlices"/>).
/// </summary>
internal sealed class LeaseRenewalService(FrontDelivery delivery, IOptions<DeliveryOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var slices = RenewalSlices.For(options.Value);
        using var timer = new PeriodicTimer(slices.Tick, time);
        long tick = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            delivery.RenewSlice(slices, tick++);
        }
    }
}
