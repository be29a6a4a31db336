namespace Messaging.Rooms;

/// <summary>
/// Direct messages between two users live in the room <c>dm:&lt;a&gt;:&lt;b&gt;</c> (ids sorted ordinally).
/// Only ids that are valid in a room name and contain no ':' can have one, so the name parses back.
/// </summary>
public static class DirectRoom
{
    public const string Prefix = "dm:";

    public static bool IsDirect(string room) => room.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The room of <paramref name="a"/> and <paramref name="b"/>, or null when either id cannot be part of one.</summary>
    public static string? For(string a, string b)
    {
        if (!IsEligible(a) || !IsEligible(b))
        {
            return null;
        }

        var (first, second) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
        var room = $"{Prefix}{first}:{second}";
        return RoomName.IsValid(room) ? room : null;
    }

    /// <summary>The two users of a direct room, if <paramref name="room"/> is one.</summary>
    public static bool TryParse(string room, out string first, out string second)
    {
        first = second = string.Empty;
        if (!IsDirect(room))
        {
            return false;
        }

        var rest = room.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0 || colon == rest.Length - 1 || rest[(colon + 1)..].Contains(':'))
        {
            return false;
        }

        first = rest[..colon].ToString();
        second = rest[(colon + 1)..].ToString();
        return true;
    }

    /// <summary>True unless <paramref name="room"/> is a direct room that <paramref name="user"/> is not part of.</summary>
    public static bool MayAccess(string room, string user) =>
        !IsDirect(room) || (TryParse(room, out var a, out var b) && (a == user || b == user));

    private static bool IsEligible(string user) => user.Length > 0 && !user.Contains(':', StringComparison.Ordinal) && RoomName.IsValid(user);
}
