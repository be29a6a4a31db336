using Messaging.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Hosting;

/// <summary>Registers the room-events stream provider: queue grains in the cluster's memory by default, Azure Event Hubs when configured.</summary>
public static class RoomEventStreamExtensions
{
    public static ISiloBuilder AddRoomEventStreams(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(RoomEventStreamOptions.SectionName);
        builder.Services.AddOptions<RoomEventStreamOptions>().Bind(section).ValidateOnStart()
            .Validate(
                o => o.QueueCapacity is >= 1 and <= RoomEventStreamOptions.MaxQueueCapacity,
                $"{RoomEventStreamOptions.SectionName}:{nameof(RoomEventStreamOptions.QueueCapacity)} must be between 1 and {RoomEventStreamOptions.MaxQueueCapacity} (batches each room-events queue holds).");
        builder.Services.AddSingleton<Telemetry.RoomEventMetrics>();
        var options = section.Get<RoomEventStreamOptions>() ?? new RoomEventStreamOptions();
        if (!string.IsNullOrWhiteSpace(options.EventHubs.ConnectionString))
        {
            EventHubsRoomEvents.Add(builder, options.EventHubs);
        }
        else
        {
            builder.AddPersistentStreams(RoomEvents.ProviderName, EventQueueAdapter.Create, static _ => { });
        }

        return builder;
    }
}
