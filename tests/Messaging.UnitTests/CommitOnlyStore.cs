using Messaging.Rooms;
using Messaging.Storage;

namespace Messaging.UnitTests;

/// <summary>A message store fake for the commit batcher's tests: it commits (as each test says) and reads nothing.</summary>
internal abstract class CommitOnlyStore : IMessageStore
{
    public abstract Task<CommitOutcome> CommitAsync(string room, long lastSeq, IReadOnlyList<SendRequest> batch, long timestamp, CancellationToken cancellationToken);

    public abstract Task<CommitOutcome[]> CommitManyAsync(IReadOnlyList<RoomCommit> commits, CancellationToken cancellationToken);

    public Task<long> GetLastSeqAsync(string room, CancellationToken cancellationToken) => Task.FromResult(0L);

    public Task<IReadOnlyList<StoredMessage>> ReadRangeAsync(string room, long afterSeq, long untilSeq, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<int> PruneAsync(long cutoff, int max, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> PingAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public bool IsConflict(Exception exception) => false;
}
