namespace Messaging.Rooms;

/// <summary>What a room's owner or admins (or a service) may do to a user.</summary>
[GenerateSerializer, Alias("messaging.ModerationAction")]
public enum ModerationAction
{
    /// <summary>Removes the user's connections from the room now; the user may join again.</summary>
    Kick = 0,

    /// <summary>Removes the user now and refuses later joins and sends, until unbanned.</summary>
    Ban = 1,
    Unban = 2,

    /// <summary>Refuses the user's sends; the user stays and keeps receiving.</summary>
    Mute = 3,
    Unmute = 4,
}
