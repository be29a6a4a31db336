using System.Collections;

namespace Messaging.WebFront.Connections;

/// <summary>The logging scope of one socket: structured fields for JSON logs, a short text for plain ones.</summary>
internal sealed class ConnectionScope(string connectionId, string user) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 2;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("ConnectionId", connectionId),
        1 => new("User", user),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        yield return this[1];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"connection {connectionId} of {user}";
}
