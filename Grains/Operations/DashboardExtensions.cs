using Messaging.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Messaging.Operations;

/// <summary>The Orleans Dashboard on a silo, when <c>Dashboard:Enabled</c>; checked at start like every setting.</summary>
public static class DashboardExtensions
{
    public const string RoutePrefix = "/dashboard";

    public static ISiloBuilder AddMessagingDashboard(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(MessagingDashboardOptions.SectionName);
        var options = section.Get<MessagingDashboardOptions>() ?? new MessagingDashboardOptions();
        ConfigurationException.ThrowIfAny(options.Validate());
        builder.Services.AddOptions<MessagingDashboardOptions>().Bind(section);
        if (options.Enabled)
        {
            builder.AddDashboard();
        }

        return builder;
    }

    /// <summary>Maps <c>/dashboard</c> behind Basic authentication; nothing when the dashboard is off.</summary>
    public static WebApplication MapMessagingDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetService<IOptions<MessagingDashboardOptions>>()?.Value;
        if (options is { Enabled: true })
        {
            app.MapOrleansDashboard(RoutePrefix).AddEndpointFilter(new BasicAuthenticationFilter(options.User, options.Password!));
        }

        return app;
    }
}
