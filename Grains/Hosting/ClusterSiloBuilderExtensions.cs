using System.Net;
using Messaging.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Messaging.Hosting;

/// <summary>Joins a silo to the production cluster: Redis membership, PostgreSQL storage.</summary>
public static class ClusterSiloBuilderExtensions
{
    /// <summary>
    /// Reads <c>ConnectionStrings:Redis</c>, <c>ConnectionStrings:Postgres</c> and the <c>Orleans</c>
    /// section, failing at once with the name of any setting that is missing or invalid.
    /// </summary>
    public static ISiloBuilder UseMessagingCluster(this ISiloBuilder builder, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();
        var failures = new List<string>(settings.Validate());
        var redis = configuration.GetConnectionString("Redis");
        var postgres = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(redis))
        {
            failures.Add("ConnectionStrings:Redis is required: the Redis that holds cluster membership (e.g. localhost:6379).");
        }

        if (string.IsNullOrWhiteSpace(postgres))
        {
            failures.Add("ConnectionStrings:Postgres is required: the PostgreSQL database for messages and grain state.");
        }

        ConfigurationException.ThrowIfAny(failures);
        ValidateRedis(redis!);

        builder.UseRedisClustering(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis!));
        builder.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = settings.ClusterId;
            options.ServiceId = settings.ServiceId;
        });
        builder.Configure<GrainDirectoryOptions>(options => options.CacheSize = settings.DirectoryCacheSize);
        // Failure detection is tunable per deployment (and made fast in tests): Orleans:Membership.
        builder.Services.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ClusterSettings.SectionName}:Membership"));
        builder.Configure<EndpointOptions>(options =>
        {
            options.SiloPort = settings.SiloPort;
            options.GatewayPort = settings.GatewayPort;
            if (settings.AdvertisedIP is not null)
            {
                var address = IPAddress.Parse(settings.AdvertisedIP);
                options.AdvertisedIPAddress = address;
                options.SiloListeningEndpoint = new IPEndPoint(address, settings.SiloPort);
                options.GatewayListeningEndpoint = new IPEndPoint(address, settings.GatewayPort);
            }
        });

        if (!string.IsNullOrWhiteSpace(configuration[Telemetry.TelemetryExtensions.OtlpEndpointVariable]))
        {
            builder.AddActivityPropagation();
        }

        return builder.AddMessagingGrains(configuration, options =>
        {
            options.Provider = StorageProvider.Postgres;
            options.ConnectionString = postgres!;
            options.ConnectionStringSetting = "ConnectionStrings:Postgres";
        });
    }

    private static void ValidateRedis(string redis)
    {
        try
        {
            _ = StackExchange.Redis.ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException)
        {
            throw new ConfigurationException("ConnectionStrings:Redis is not a valid Redis configuration string.");
        }
    }
}
