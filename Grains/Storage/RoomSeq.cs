namespace Messaging.Storage;

/// <summary>A room's latest committed seq, and whether the room is private.</summary>
internal sealed record RoomSeq(string Room, long LastSeq, bool Private);
