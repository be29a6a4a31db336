namespace Messaging.Rooms.Kinds;

/// <summary>The <c>RoomKinds</c> section: limits every kind's hooks live within.</summary>
public sealed class RoomKindOptions
{
    public const string SectionName = "RoomKinds";

    /// <summary>The longest a hook may take before its call fails; the room goes on.</summary>
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
