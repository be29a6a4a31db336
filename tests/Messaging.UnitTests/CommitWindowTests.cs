using Messaging.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>The commit window's decision: hold a transaction open only when company is to be expected.</summary>
public sealed class CommitWindowTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(10);

    [Theory]
    [InlineData(2_500, 1_000, true)]   // chat: 2,500 rooms a second, 25 expected per window
    [InlineData(400, 1_000, true)]     // exactly the threshold: 4 expected
    [InlineData(399, 1_000, false)]    // just under it
    [InlineData(100, 250, true)]       // 400 rooms a second, measured over a short period
    [InlineData(10, 250, false)]       // fanout: 10 busy rooms, however often they commit
    [InlineData(1, 250, false)]        // a lone busy room
    [InlineData(0, 1_000, false)]      // idle
    public void Holds_only_when_enough_different_rooms_are_expected_within_the_window(int rooms, int periodMs, bool holds)
    {
        var hold = CommitWindow.Decide(rooms, TimeSpan.FromMilliseconds(periodMs), Window);
        Assert.Equal(holds ? Window : TimeSpan.Zero, hold);
    }

    [Fact]
    public void A_zero_window_never_holds() =>
        Assert.Equal(TimeSpan.Zero, CommitWindow.Decide(10_000, TimeSpan.FromSeconds(1), TimeSpan.Zero));

    [Fact]
    public void The_hold_follows_the_load_period_by_period()
    {
        var time = new FakeTimeProvider();
        var window = new CommitWindow(Window, time);
        Assert.Equal(TimeSpan.Zero, window.Hold);

        // A period of 500 commits from 500 rooms (2,000 rooms a second): the window turns on.
        Assert.Equal(Window, AfterPeriod(window, time, i => $"room-{i}"));

        // As many commits from ten busy rooms: off again.
        Assert.Equal(TimeSpan.Zero, AfterPeriod(window, time, i => $"hot-{i % 10}"));

        // Many rooms again, then a quiet minute: the first commit after it does not wait.
        Assert.Equal(Window, AfterPeriod(window, time, i => $"room-{i}"));
        time.Advance(TimeSpan.FromMinutes(1));
        window.Observe("room-1");
        Assert.Equal(TimeSpan.Zero, window.Hold);
    }

    /// <summary>Observes 500 commits from the rooms <paramref name="roomOf"/> names, then the first commit of the next period; returns the hold it set.</summary>
    private static TimeSpan AfterPeriod(CommitWindow window, FakeTimeProvider time, Func<int, string> roomOf)
    {
        for (var i = 0; i < 500; i++)
        {
            window.Observe(roomOf(i));
        }

        time.Advance(CommitWindow.Period);
        window.Observe(roomOf(0));
        return window.Hold;
    }
}
