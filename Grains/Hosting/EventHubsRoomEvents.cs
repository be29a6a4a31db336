using Messaging.Events;

namespace Messaging.Hosting;

/// <summary>Room events on Azure Event Hubs; registered only when configured, so an unreachable hub stops the silo at start.</summary>
internal static class EventHubsRoomEvents
{
    public static void Add(ISiloBuilder builder, EventHubsStreamOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CheckpointConnectionString))
        {
            throw new ConfigurationException("Streams:EventHubs:CheckpointConnectionString is required with Streams:EventHubs:ConnectionString: Event Hubs streams keep their read positions in Azure Table storage.");
        }

        builder.AddEventHubStreams(
            RoomEvents.ProviderName,
            hub => hub.ConfigureEventHubConnection(options.ConnectionString!, options.Hub, options.ConsumerGroup),
            checkpoints => checkpoints.TableServiceClient = new Azure.Data.Tables.TableServiceClient(options.CheckpointConnectionString));
    }
}
