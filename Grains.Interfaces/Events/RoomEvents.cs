namespace Messaging.Events;

/// <summary>Where room events are published: the stream provider's name and the stream namespace.</summary>
public static class RoomEvents
{
    /// <summary>The stream provider, on silos and on any client that subscribes.</summary>
    public const string ProviderName = "RoomEvents";

    /// <summary>The stream namespace; each room's stream is keyed by the room's name.</summary>
    public const string Namespace = "room-events";
}
