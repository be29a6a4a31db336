namespace Messaging.Rooms;

/// <summary>Limits of the room contract that callers and the grain both rely on.</summary>
public static class RoomLimits
{
    /// <summary>The most messages one <see cref="IRoomGrain.SendManyAsync"/> call may carry.</summary>
    public const int MaxSendMany = 256;
}
