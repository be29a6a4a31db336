using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Messaging.Telemetry;

/// <summary>OpenTelemetry for Silo and WebFront alike: Prometheus metrics always, traces and OTLP when an endpoint is set.</summary>
public static class TelemetryExtensions
{
    /// <summary>The standard variable OpenTelemetry's OTLP exporter reads its endpoint from.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The port <c>/metrics</c> answers on, when not every port.</summary>
    public const string MetricsPortSetting = "Telemetry:MetricsPort";

    /// <summary>
    /// Set true to keep Orleans' message-size histograms. They are off by default: Orleans records
    /// both on every message a silo or client sends or receives over the network, with two tags
    /// made by formatting enums each time, which cost 1-2 % of a chat message's CPU (bench, chat,
    /// eighteenth session) for a distribution an operator rarely reads.
    /// </summary>
    public const string OrleansMessageSizesSetting = "Telemetry:OrleansMessageSizes";

    /// <summary>Orleans' per-message histograms, dropped unless <see cref="OrleansMessageSizesSetting"/> is true.</summary>
    private static readonly string[] OrleansMessageSizeInstruments = ["orleans-messaging-sent-messages-size", "orleans-messaging-received-messages-size"];

    /// <summary>Tag sets kept per instrument; measurements beyond it are counted under one overflow series.</summary>
    public const int MetricSeriesLimit = 200;

    public static IHostApplicationBuilder AddMessagingTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        var messageSizes = builder.Configuration.GetValue<bool>(OrleansMessageSizesSetting);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(MessagingTelemetry.RoomsMeter, MessagingTelemetry.FrontMeter, "Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()

                    // The SDK allocates every stream's points up front (2,000 by default, about
                    // 176 KB per instrument, 32 MB in a silo with Orleans' instruments); no series
                    // here has more than a few dozen tag sets, so a smaller limit costs nothing.
                    .AddView(instrument => !messageSizes && OrleansMessageSizeInstruments.Contains(instrument.Name, StringComparer.Ordinal)
                        ? MetricStreamConfiguration.Drop
                        : new MetricStreamConfiguration { CardinalityLimit = MetricSeriesLimit })
                    .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Spans cost a little on every message, so they are made only where someone collects them.
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(MessagingTelemetry.ActivitySourceName, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsProbe(context.Request.Path))
                .AddNpgsql()
                .AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>
    /// Serves Prometheus text at <c>/metrics</c>. With <c>Telemetry:MetricsPort</c> set, only on that
    /// port, so a front's public listener does not show its internals to the internet.
    /// </summary>
    public static IEndpointRouteBuilder MapMessagingMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var port = endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetValue<int?>(MetricsPortSetting);
        if (port is { } only and (< 1 or > 65535))
        {
            throw new Hosting.ConfigurationException($"{MetricsPortSetting} must be a TCP port (1-65535); it is {only}.");
        }

        var metrics = endpoints.MapPrometheusScrapingEndpoint("/metrics");
        if (port is not null)
        {
            metrics.RequireHost($"*:{port}");
        }

        return endpoints;
    }

    private static bool IsProbe(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics");
}
