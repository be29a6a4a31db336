using System.Diagnostics.Metrics;
using Messaging.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>
/// Every instrument is capped at <see cref="TelemetryExtensions.MetricSeriesLimit"/> tag sets so
/// the SDK does not reserve 2,000 points per instrument; past the cap nothing is lost, it is
/// counted under the overflow series.
/// </summary>
public sealed class MetricSeriesLimitTests
{
    [Fact]
    public async Task Tag_sets_past_the_limit_are_counted_under_the_overflow_series()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddMessagingTelemetry("unit-test");
        var exported = new List<Metric>();
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            using var meter = new Meter(MessagingTelemetry.FrontMeter);
            var counter = meter.CreateCounter<long>("messaging_unit_test_series");
            const int measured = TelemetryExtensions.MetricSeriesLimit + 50;
            for (var i = 0; i < measured; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("n", i));
            }

            // The Prometheus reader only collects when scraped, so the flush as a whole reports false.
            host.Services.GetRequiredService<MeterProvider>().ForceFlush();
            var metric = Assert.Single(exported, m => m.Name == "messaging_unit_test_series");
            var points = new List<MetricPoint>();
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                points.Add(point);
            }

            // The limit counts tag sets; the SDK keeps one more point for the overflow series.
            Assert.InRange(points.Count, TelemetryExtensions.MetricSeriesLimit - 2, TelemetryExtensions.MetricSeriesLimit + 1);
            Assert.Equal(measured, points.Sum(p => p.GetSumLong()));
            var overflow = Assert.Single(points, p => HasTag(p, "otel.metric.overflow"));
            Assert.True(overflow.GetSumLong() >= 50);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static bool HasTag(MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return true;
            }
        }

        return false;
    }
}
