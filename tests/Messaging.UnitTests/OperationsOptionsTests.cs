using System.Net.Http.Headers;
using System.Text;
using Messaging.Operations;
using Messaging.Storage;
using Messaging.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>Retention and dashboard settings refuse values past their limits, naming the setting; the dashboard's Basic check.</summary>
public sealed class OperationsOptionsTests
{
    [Theory]
    [InlineData("00:00:00.999", null, null, "Retention:MaxAge")]
    [InlineData(null, "00:00:00.999", null, "Retention:PrunePeriod")]
    [InlineData(null, "1.00:00:01", null, "Retention:PrunePeriod")]
    [InlineData(null, null, 0, "Retention:BatchSize")]
    [InlineData(null, null, 100_001, "Retention:BatchSize")]
    public void Retention_past_a_limit_names_the_setting(string? maxAge, string? period, int? batch, string setting)
    {
        var options = new RetentionOptions();
        if (maxAge is not null)
        {
            options.MaxAge = TimeSpan.Parse(maxAge, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (period is not null)
        {
            options.PrunePeriod = TimeSpan.Parse(period, System.Globalization.CultureInfo.InvariantCulture);
        }

        options.BatchSize = batch ?? options.BatchSize;
        var result = new RetentionOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Retention_at_its_limits_is_valid()
    {
        var validator = new RetentionOptionsValidator();
        Assert.True(validator.Validate(null, new RetentionOptions()).Succeeded);
        Assert.True(validator.Validate(null, new RetentionOptions { MaxAge = TimeSpan.FromSeconds(1), PrunePeriod = TimeSpan.FromDays(1), BatchSize = 100_000 }).Succeeded);
        Assert.True(validator.Validate(null, new RetentionOptions { PrunePeriod = TimeSpan.FromSeconds(1), BatchSize = 1 }).Succeeded);
    }

    [Fact]
    public void An_enabled_dashboard_needs_a_user_and_a_16_character_password()
    {
        Assert.Empty(new MessagingDashboardOptions().Validate());
        Assert.Empty(new MessagingDashboardOptions { Enabled = true, Password = new string('p', 16) }.Validate());
        Assert.Contains(new MessagingDashboardOptions { Enabled = true, Password = new string('p', 15) }.Validate(), f => f.StartsWith("Dashboard:Password", StringComparison.Ordinal));
        Assert.Contains(new MessagingDashboardOptions { Enabled = true }.Validate(), f => f.StartsWith("Dashboard:Password", StringComparison.Ordinal));
        Assert.Contains(new MessagingDashboardOptions { Enabled = true, User = "a:b", Password = new string('p', 16) }.Validate(), f => f.StartsWith("Dashboard:User", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("Bearer abc", false)]
    [InlineData("Basic not-base64!", false)]
    [InlineData("Basic ops:secret-password-16ch", false)]
    [InlineData("ops:wrong-password-16chars", false)]
    [InlineData("ops:secret-password-16ch", true)]
    [InlineData("OPS:secret-password-16ch", false)]
    public async Task The_dashboard_filter_admits_only_the_configured_credentials(string? credentials, bool admitted)
    {
        var filter = new BasicAuthenticationFilter("ops", "secret-password-16ch");
        var context = new DefaultHttpContext();
        if (credentials is not null)
        {
            context.Request.Headers.Authorization = credentials.StartsWith("B", StringComparison.Ordinal)
                ? credentials
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))).ToString();
        }

        var called = false;
        await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ =>
        {
            called = true;
            return ValueTask.FromResult<object?>(Results.Ok());
        });

        Assert.Equal(admitted, called);
        Assert.Equal(admitted, string.IsNullOrEmpty(context.Response.Headers.WWWAuthenticate));
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("65536", false)]
    [InlineData("1", true)]
    [InlineData("65535", true)]
    public void The_metrics_port_must_be_a_tcp_port(string port, bool valid)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration[TelemetryExtensions.MetricsPortSetting] = port;
        builder.AddMessagingTelemetry("test");
        using var app = builder.Build();

        var error = Record.Exception(() => app.MapMessagingMetrics());

        if (valid)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(TelemetryExtensions.MetricsPortSetting, Assert.IsType<Messaging.Hosting.ConfigurationException>(error).Message, StringComparison.Ordinal);
        }
    }
}
