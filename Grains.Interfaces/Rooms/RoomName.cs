namespace Messaging.Rooms;

/// <summary>The protocol's room name rule: 1..128 characters from <c>[A-Za-z0-9_.:-]</c>.</summary>
public static class RoomName
{
    public const int MaxLength = 128;

    public static bool IsValid(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsAllowed(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllowed(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-';
}
