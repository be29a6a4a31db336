namespace Messaging.Rooms;

/// <summary>Timing and batching of room grains.</summary>
public sealed class RoomOptions
{
    public const string SectionName = "Rooms";

    /// <summary>How long a front stays subscribed without renewing. Fronts renew well inside it.</summary>
    public TimeSpan FrontLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a room checks whether to tell its fronts its latest seq: once it has pushed nothing
    /// for this long after activity, so a lost last push is noticed within two periods.
    /// </summary>
    public TimeSpan HeartbeatPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long presence changes are gathered into one diff, so a join storm sends a few frames.</summary>
    public TimeSpan PresenceCoalesce { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most messages one group commit takes.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// Transactions the silo keeps in flight at once, each shared by every room that committed
    /// while the one before it waited for the log flush. Fewer means larger transactions (less
    /// database work per message); more means a commit waits less for a writer. One: group commit
    /// sized by load with no added wait, since under load the flush in flight is the window.
    /// </summary>
    public int CommitWriters { get; set; } = 1;

    /// <summary>
    /// Under load, how long a transaction waits for other rooms' commits to share it (group commit
    /// sized by load, see CommitWindow): held only while enough different rooms commit to expect
    /// at least four within the window (many rooms, each sending now and then), so a quiet silo or
    /// a few busy rooms never wait. It adds up to this much to an ack and saves a log flush and a
    /// round trip for every room that joins. 10 ms by default: under `chat` (2,500 rooms, 2,500
    /// messages/s, run side by side) 5 ms cost 14-18 % less CPU than no window, PostgreSQL's
    /// halved, and 10 ms another 6-12 % less in both start orders; ack p50 is then about 10 ms
    /// instead of 2 and p99 24 ms in runs on their own (bench/README.md, seventeenth and
    /// eighteenth sessions). Zero turns it off, for the lowest latency where CPU is plentiful.
    /// </summary>
    public TimeSpan CommitWindow { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Queued rows that end a transaction's wait at once: a batch this large gains little from company.</summary>
    public int CommitWindowRows { get; set; } = 64;

    /// <summary>How often a commit that lost its seqs to another writer is renumbered and retried.</summary>
    public int MaxCommitAttempts { get; set; } = 5;

    /// <summary>The most members a room may have (its members list, which in a private room decides who may join).</summary>
    public int MaxMembers { get; set; } = 1000;

    /// <summary>When false, each message is committed alone (for measuring what group commit buys).</summary>
    public bool GroupCommit { get; set; } = true;
}
