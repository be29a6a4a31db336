namespace Messaging.WebFront.Delivery;

/// <summary>
/// How a renewal period is cut up: the renewal timer ticks <see cref="Rooms"/> times per room
/// period, and each tick renews the rooms of one slice and the users of one of <see cref="Users"/>
/// slices (the user period in ticks).
/// </summary>
internal readonly record struct RenewalSlices(TimeSpan Tick, int Rooms, int Users)
{
    /// <summary>Ticks per room period: ten is enough to flatten a burst and few enough to keep each tick's walk cheap.</summary>
    public const int PerPeriod = 10;

    public static RenewalSlices For(DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tick = options.RenewPeriod / PerPeriod;

        // Rounded down, so a user is renewed at least as often as configured.
        var users = Math.Max(1, (int)(options.UserRenewPeriod.Ticks / tick.Ticks));
        return new RenewalSlices(tick, PerPeriod, users);
    }

    /// <summary>The slice a room or user falls in; the same for as long as this process runs.</summary>
    public static int Of(string key, int slices) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)slices);
}
