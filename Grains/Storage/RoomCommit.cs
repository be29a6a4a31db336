using Messaging.Rooms;

namespace Messaging.Storage;

/// <summary>One room's batch to commit, numbered from <see cref="LastSeq"/> + 1.</summary>
internal sealed record RoomCommit(string Room, long LastSeq, IReadOnlyList<SendRequest> Batch, long Timestamp);
