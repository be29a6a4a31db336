using Messaging.Rooms;

namespace Messaging.Storage;

/// <summary>The message tables: the source of truth for every room's seq.</summary>
internal interface IMessageStore
{
    /// <summary>The highest committed seq of <paramref name="room"/>, 0 when it has none.</summary>
    Task<long> GetLastSeqAsync(string room, CancellationToken cancellationToken);

    /// <summary>
    /// Commits <paramref name="batch"/> in one transaction, numbering new messages from
    /// <paramref name="lastSeq"/> + 1. A cid seen before (same room and sender) stores nothing
    /// and answers its first seq. Throws a unique violation (see <see cref="IsConflict"/>) when
    /// another writer took one of the numbers; nothing is stored then.
    /// </summary>
    Task<CommitOutcome> CommitAsync(string room, long lastSeq, IReadOnlyList<SendRequest> batch, long timestamp, CancellationToken cancellationToken);

    /// <summary>
    /// Commits several rooms' batches in one transaction (one WAL flush for many quiet rooms),
    /// each numbered as <see cref="CommitAsync"/> would. All or nothing: a conflict in any room
    /// throws and stores nothing; the caller then commits the rooms one by one.
    /// </summary>
    Task<CommitOutcome[]> CommitManyAsync(IReadOnlyList<RoomCommit> commits, CancellationToken cancellationToken);

    /// <summary>Messages with seq in (<paramref name="afterSeq"/>, <paramref name="untilSeq"/>], ascending, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<StoredMessage>> ReadRangeAsync(string room, long afterSeq, long untilSeq, int max, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="limit"/> messages with seq below <paramref name="beforeSeq"/>, ascending.</summary>
    Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="max"/> messages with <c>ts</c> below <paramref name="cutoff"/>
    /// (ms since epoch), never the newest of a room; returns how many it deleted.
    /// </summary>
    Task<int> PruneAsync(long cutoff, int max, CancellationToken cancellationToken);

    /// <summary>True when the database answers.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> means a seq or cid was taken by another writer.</summary>
    bool IsConflict(Exception exception);
}
