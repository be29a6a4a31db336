using Messaging.WebFront.Delivery;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Connections;

/// <summary>
/// The front's write window (<see cref="DeliveryOptions.WriteDelay"/>, or for signals alone
/// <see cref="DeliveryOptions.SignalWriteDelay"/>): a room frame for a busy socket
/// (<see cref="IsBusy"/>) waits until the window closes, and whatever else reaches that
/// socket meanwhile leaves in the same write. Busy sockets (game signals, hot rooms)
/// make fewer <c>send</c> calls, the largest cost per delivery, for up to that much latency; a
/// quiet socket and every reply to a command are written at once, except under the signal window
/// an ack whose own copy of the message is still on its way (it leaves with the copy). One timer
/// serves the front.
/// </summary>
internal sealed class WriteCoalescer : IDisposable
{
    private readonly TimeSpan _delay;
    private readonly long _busyMs;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private List<ClientConnection> _due = [];
    private bool _armed;

    public WriteCoalescer(IOptions<DeliveryOptions> options)
    {
        var settings = options.Value;
        HoldsEveryRoomFrame = settings.WriteDelay > TimeSpan.Zero;
        _delay = HoldsEveryRoomFrame ? settings.WriteDelay : settings.SignalWriteDelay;
        _busyMs = (long)Math.Ceiling(2 * _delay.TotalMilliseconds);
        _timer = new Timer(static state => ((WriteCoalescer)state!).Flush(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>False when writes go out at once (no delay configured).</summary>
    public bool Enabled => _delay > TimeSpan.Zero;

    /// <summary>True under <see cref="DeliveryOptions.WriteDelay"/>: every room frame may wait; otherwise only signals do.</summary>
    public bool HoldsEveryRoomFrame { get; }

    /// <summary>
    /// True when a socket whose previous room frame came at <paramref name="previousAt"/> is busy
    /// enough to wait: less than two windows ago (<see cref="Environment.TickCount64"/>). Sparser
    /// sockets would rarely get a second frame within a window and only pay its latency: with four
    /// windows, `fanout` (a frame every 20–33 ms per socket) lost 43 % of its top rate.
    /// </summary>
    public bool IsBusy(long previousAt, long now) => now - previousAt < _busyMs;

    /// <summary>Starts <paramref name="connection"/>'s writer when the current window closes.</summary>
    public void Schedule(ClientConnection connection)
    {
        lock (_lock)
        {
            _due.Add(connection);
            if (_armed)
            {
                return;
            }

            _armed = true;
        }

        _timer.Change(_delay, Timeout.InfiniteTimeSpan);
    }

    private void Flush()
    {
        List<ClientConnection> due;
        lock (_lock)
        {
            due = _due;
            _due = new List<ClientConnection>(due.Count);
            _armed = false;
        }

        foreach (var connection in due)
        {
            connection.StartScheduledWrite();
        }
    }

    public void Dispose() => _timer.Dispose();
}
