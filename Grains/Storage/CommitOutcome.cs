using Messaging.Rooms;

namespace Messaging.Storage;

/// <summary>
/// The result of one group commit: the seq answered to each request (in request order),
/// which of them were cid repeats, and the messages newly stored, ascending.
/// </summary>
internal sealed record CommitOutcome(long LastSeq, long[] Seqs, bool[] Duplicates, IReadOnlyList<StoredMessage> Stored);
