using Messaging.WebFront.Connections;
using Messaging.WebFront.Delivery;
using Microsoft.Extensions.Options;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>Which window a front runs: WriteDelay holds every room frame and overrides the signal-only window.</summary>
public sealed class WriteCoalescerTests
{
    [Fact]
    public void By_default_only_signals_wait_for_a_5_ms_window()
    {
        using var coalescer = Coalescer(new DeliveryOptions());

        Assert.True(coalescer.Enabled);
        Assert.False(coalescer.HoldsEveryRoomFrame);

        // Busy means a frame less than two windows (10 ms) ago.
        Assert.True(coalescer.IsBusy(previousAt: 1000, now: 1009));
        Assert.False(coalescer.IsBusy(previousAt: 1000, now: 1010));
    }

    [Fact]
    public void WriteDelay_holds_every_room_frame_with_its_own_length()
    {
        using var coalescer = Coalescer(new DeliveryOptions { WriteDelay = TimeSpan.FromMilliseconds(20), SignalWriteDelay = TimeSpan.FromMilliseconds(5) });

        Assert.True(coalescer.Enabled);
        Assert.True(coalescer.HoldsEveryRoomFrame);
        Assert.True(coalescer.IsBusy(previousAt: 1000, now: 1039));
        Assert.False(coalescer.IsBusy(previousAt: 1000, now: 1040));
    }

    [Fact]
    public void With_both_windows_at_zero_nothing_waits()
    {
        using var coalescer = Coalescer(new DeliveryOptions { SignalWriteDelay = TimeSpan.Zero });

        Assert.False(coalescer.Enabled);
    }

    private static WriteCoalescer Coalescer(DeliveryOptions options) => new(Options.Create(options));
}
