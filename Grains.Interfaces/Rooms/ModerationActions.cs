namespace Messaging.Rooms;

/// <summary>The wire and storage names of <see cref="ModerationAction"/>: lower case, as the protocol spells them.</summary>
public static class ModerationActions
{
    public static string Name(ModerationAction action) => action switch
    {
        ModerationAction.Kick => "kick",
        ModerationAction.Ban => "ban",
        ModerationAction.Unban => "unban",
        ModerationAction.Mute => "mute",
        ModerationAction.Unmute => "unmute",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown moderation action."),
    };

    public static bool TryParse(string? name, out ModerationAction action)
    {
        switch (name)
        {
            case "kick": action = ModerationAction.Kick; return true;
            case "ban": action = ModerationAction.Ban; return true;
            case "unban": action = ModerationAction.Unban; return true;
            case "mute": action = ModerationAction.Mute; return true;
            case "unmute": action = ModerationAction.Unmute; return true;
            default: action = default; return false;
        }
    }
}
