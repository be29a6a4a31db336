using Messaging.Rooms;

namespace Messaging.Storage;

/// <summary>
/// The project's tables beside the messages: the moderation log, the names of private rooms, and
/// the per-room latest seq that unread counts are computed from.
/// </summary>
internal interface IRoomRecords
{
    /// <summary>Appends an action to the room's moderation log and answers it with its id.</summary>
    Task<ModerationRecord> RecordModerationAsync(string room, long at, string actor, ModerationAction action, string target, string? reason, CancellationToken cancellationToken);

    /// <summary>The room's moderation log, newest first, ids below <paramref name="beforeId"/>.</summary>
    Task<IReadOnlyList<ModerationRecord>> ListModerationAsync(string room, long beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Records that <paramref name="room"/> is private, before its grain state says so; never undone.</summary>
    Task MarkPrivateAsync(string room, long at, CancellationToken cancellationToken);

    /// <summary>Deletes every stored message of <paramref name="room"/>.</summary>
    Task DeleteMessagesAsync(string room, CancellationToken cancellationToken);

    /// <summary>For each room: its latest seq (0 when empty) and whether it is private. One query per chunk of rooms.</summary>
    Task<IReadOnlyList<RoomSeq>> GetLatestAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken);
}
