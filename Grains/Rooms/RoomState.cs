namespace Messaging.Rooms;

/// <summary>A room's durable settings (grain state). Messages live in the message table, not here.</summary>
[GenerateSerializer, Alias("messaging.RoomState")]
public sealed class RoomState
{
    /// <summary>When the room came into being (its first join).</summary>
    [Id(0)]
    public DateTimeOffset? CreatedAt { get; set; }
}
