namespace Messaging.Rooms;

/// <summary>
/// A room's durable settings (grain state): whether it is private, its members and roles, bans and
/// mutes. Messages live in the message table, not here. Fields are only ever added, with new ids.
/// </summary>
[GenerateSerializer, Alias("messaging.RoomState")]
public sealed class RoomState
{
    /// <summary>When the room came into being (its first join, or its creation through the API).</summary>
    [Id(0)]
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Only members may join or read; to anyone else the room does not exist.</summary>
    [Id(1)]
    public bool Private { get; set; }

    [Id(2)]
    public string? Title { get; set; }

    /// <summary>A small JSON object the product keeps with the room.</summary>
    [Id(3)]
    public string? Metadata { get; set; }

    /// <summary>User → role. In a private room, membership admits; in a public room it only grants roles.</summary>
    [Id(4)]
    public Dictionary<string, RoomRole> Members { get; set; } = new(StringComparer.Ordinal);

    [Id(5)]
    public HashSet<string> Bans { get; set; } = new(StringComparer.Ordinal);

    [Id(6)]
    public HashSet<string> Mutes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A deleted room keeps this record so its name (and its seqs) are never used again.</summary>
    [Id(7)]
    public bool Deleted { get; set; }

    /// <summary>The state of the room's kind (JSON), if its name gives it one.</summary>
    [Id(8)]
    public string? KindState { get; set; }

    /// <summary>True when some sender or joiner may be refused; a plain public room skips every check.</summary>
    public bool HasRules => Private || Deleted || Bans.Count > 0 || Mutes.Count > 0;
}
