using System.Collections.Generic;

namespace Messaging.Client;

/// <summary>A room this client is in: the last seq it delivered (-1: none yet), and live messages held while a gap is filled.</summary>
internal sealed class RoomCursor
{
    public RoomCursor(string room) => Room = room;

    public string Room { get; }

    public long LastSeq { get; set; } = -1;

    public bool Filling { get; set; }

    public List<MessageReceived> Held { get; } = new();
}
