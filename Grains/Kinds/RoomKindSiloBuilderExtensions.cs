using Microsoft.Extensions.DependencyInjection;

namespace Messaging.Rooms.Kinds;

/// <summary>Registers room kinds on a silo.</summary>
public static class RoomKindSiloBuilderExtensions
{
    /// <summary>
    /// Every room whose name starts with <paramref name="prefix"/> (for example <c>game:</c>) runs
    /// <typeparamref name="TKind"/>. The kind is created per room activation from the silo's
    /// services, so its constructor may take options, loggers or clients.
    /// </summary>
    public static ISiloBuilder AddRoomKind<TKind>(this ISiloBuilder builder, string prefix)
        where TKind : RoomKind
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!RoomName.IsValid(prefix) || prefix.StartsWith(DirectRoom.Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{prefix}' is not a room-name prefix (A-Z a-z 0-9 _ . : -, and not '{DirectRoom.Prefix}').", nameof(prefix));
        }

        builder.Services.AddSingleton(new RoomKindRegistration(prefix, typeof(TKind)));
        return builder;
    }
}
