namespace Messaging.Storage;

/// <summary>
/// <c>Retention</c>: how long message history is kept. Off by default (history is kept forever).
/// The newest message of every room is always kept: it is where the room's next seq comes from.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Messages older than this are pruned; null keeps everything.</summary>
    public TimeSpan? MaxAge { get; set; }

    /// <summary>How often a silo prunes.</summary>
    public TimeSpan PrunePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows one delete statement removes, so pruning never holds long locks.</summary>
    public int BatchSize { get; set; } = 5000;
}
