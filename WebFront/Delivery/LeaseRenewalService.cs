using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Delivery;

/// <summary>Renews every room lease of this front on a period well inside the rooms' lease, and its users' entries less often.</summary>
internal sealed class LeaseRenewalService(FrontDelivery delivery, IOptions<DeliveryOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RenewPeriod, time);
        var lastUserRenewal = time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var renewUsers = time.GetElapsedTime(lastUserRenewal) >= options.Value.UserRenewPeriod - (options.Value.RenewPeriod / 2);
            if (renewUsers)
            {
                lastUserRenewal = time.GetTimestamp();
            }

            delivery.RenewAll(renewUsers);
        }
    }
}
