namespace Messaging.Users;

/// <summary>Limits of user grains.</summary>
public sealed class UserOptions
{
    public const string SectionName = "Users";

    /// <summary>The most rooms a user may be a member of (private rooms and rooms where it holds a role).</summary>
    public int MaxRooms { get; set; } = 500;
}
