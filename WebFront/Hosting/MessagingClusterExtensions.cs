using Messaging.Hosting;
using Messaging.Operations;
using Messaging.Storage;
using Messaging.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Messaging.WebFront.Hosting;

/// <summary>Connects the front to the grains: a co-hosted silo (standalone) or a cluster client.</summary>
public static class MessagingClusterExtensions
{
    public static WebApplicationBuilder AddMessagingCluster(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var hosting = configuration.GetSection(FrontHostingOptions.SectionName).Get<FrontHostingOptions>() ?? new FrontHostingOptions();
        var cluster = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new ClusterSettings();
        ConfigurationException.ThrowIfAny(cluster.Validate());

        if (hosting.Mode == HostingMode.Standalone)
        {
            var dataPath = Path.GetFullPath(hosting.DataPath);
            Directory.CreateDirectory(dataPath);
            var database = Path.Combine(dataPath, "messaging.db");
            builder.UseOrleans(silo => silo
                .UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId)
                .AddMessagingDashboard(configuration)
                .AddMessagingGrains(configuration, options =>
                {
                    options.Provider = StorageProvider.Sqlite;
                    options.ConnectionString = $"Data Source={database};Pooling=True;Default Timeout=30";
                    options.ConnectionStringSetting = $"{FrontHostingOptions.SectionName}:{nameof(FrontHostingOptions.DataPath)}";
                }));
            return builder;
        }

        var redis = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            throw new ConfigurationException("ConnectionStrings:Redis is required in cluster mode (Hosting:Mode=Cluster): the Redis that holds cluster membership.");
        }

        StackExchange.Redis.ConfigurationOptions redisOptions;
        try
        {
            redisOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException)
        {
            throw new ConfigurationException("ConnectionStrings:Redis is not a valid Redis configuration string.");
        }

        builder.UseOrleansClient(client =>
        {
            client.UseRedisClustering(options => options.ConfigurationOptions = redisOptions);
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            client.UseConnectionRetryFilter<ClientConnectionRetryFilter>();
            if (!string.IsNullOrWhiteSpace(configuration[TelemetryExtensions.OtlpEndpointVariable]))
            {
                client.AddActivityPropagation();
            }

            // A client waiting on a socket should hear `unavailable` in seconds, not Orleans' default 30 s,
            // while a silo's death is still being established.
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(10));
        });
        return builder;
    }
}
