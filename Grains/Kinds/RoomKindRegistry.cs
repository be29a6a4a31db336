using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Rooms.Kinds;

/// <summary>Room-name prefixes and the kinds registered for them; the longest matching prefix wins.</summary>
internal sealed class RoomKindRegistry(IEnumerable<RoomKindRegistration> registrations)
{
    private readonly RoomKindRegistration[] _registrations = [.. registrations.OrderByDescending(r => r.Prefix.Length)];

    public bool IsEmpty => _registrations.Length == 0;

    /// <summary>A new instance of the kind for <paramref name="room"/>, or null for a plain room.</summary>
    public RoomKind? Create(string room, IServiceProvider services)
    {
        foreach (var registration in _registrations)
        {
            if (room.StartsWith(registration.Prefix, StringComparison.Ordinal))
            {
                return (RoomKind)ActivatorUtilities.CreateInstance(services, registration.Kind);
            }
        }

        return null;
    }
}
