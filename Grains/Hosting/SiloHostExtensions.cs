using Messaging.Operations;
using Messaging.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;

namespace Messaging.Hosting;

/// <summary>
/// The silo process of cluster mode, shared by Silo and hosts that add room kinds: the cluster
/// silo, telemetry, and a small HTTP port for probes, <c>/metrics</c> and the dashboard.
/// </summary>
public static class SiloHostExtensions
{
    /// <summary>The silo's HTTP port when nothing sets one (<c>Urls</c>, <c>ASPNETCORE_URLS</c>, <c>--urls</c>): loopback only.</summary>
    public const int DefaultHttpPort = 8081;

    public static WebApplicationBuilder AddMessagingSilo(this WebApplicationBuilder builder, Action<ISiloBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        if (string.IsNullOrEmpty(configuration["urls"]) && string.IsNullOrEmpty(configuration["http_ports"]))
        {
            builder.WebHost.UseUrls($"http://localhost:{DefaultHttpPort}");
        }

        builder.UseOrleans(silo =>
        {
            silo.UseMessagingCluster(configuration).AddMessagingDashboard(configuration);
            configure?.Invoke(silo);
        });
        builder.AddMessagingTelemetry("messaging-silo");
        return builder;
    }

    public static WebApplication MapMessagingSiloEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", SiloHealthEndpoints.Live);
        app.MapGet("/readyz", SiloHealthEndpoints.ReadyAsync);
        app.MapMessagingMetrics();
        app.MapMessagingDashboard();
        return app;
    }
}
