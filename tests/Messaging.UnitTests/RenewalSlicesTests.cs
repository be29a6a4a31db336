using Messaging.WebFront.Delivery;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>
/// Renewals go out a slice per tick: every room and user in exactly one slice, each renewed once
/// per its period, and the slices even enough that no tick carries a burst.
/// </summary>
public sealed class RenewalSlicesTests
{
    [Fact]
    public void The_default_periods_give_ten_room_slices_and_a_user_period_in_whole_ticks()
    {
        var slices = RenewalSlices.For(new DeliveryOptions());

        Assert.Equal(TimeSpan.FromMilliseconds(500), slices.Tick);
        Assert.Equal(10, slices.Rooms);
        Assert.Equal(30, slices.Users);
    }

    [Fact]
    public void A_user_period_that_is_not_a_whole_number_of_ticks_rounds_down_so_renewals_come_no_later()
    {
        var slices = RenewalSlices.For(new DeliveryOptions { RenewPeriod = TimeSpan.FromSeconds(1), UserRenewPeriod = TimeSpan.FromMilliseconds(1250) });

        Assert.Equal(12, slices.Users);
        Assert.True(slices.Tick * slices.Users <= TimeSpan.FromMilliseconds(1250));
    }

    [Fact]
    public void Each_key_falls_in_one_slice_and_thousands_of_rooms_spread_evenly()
    {
        var counts = new int[RenewalSlices.PerPeriod];
        for (var i = 0; i < 5000; i++)
        {
            var room = $"room-{i}";
            var slice = RenewalSlices.Of(room, RenewalSlices.PerPeriod);
            Assert.Equal(slice, RenewalSlices.Of(room, RenewalSlices.PerPeriod));
            counts[slice]++;
        }

        // 500 per slice on average; a burst would be one slice holding far more than its share.
        Assert.All(counts, count => Assert.InRange(count, 400, 600));
    }
}
