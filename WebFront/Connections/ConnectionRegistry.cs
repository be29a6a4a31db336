using System.Collections.Concurrent;
using Messaging.WebFront.Protocol;
using Microsoft.Extensions.Hosting;

namespace Messaging.WebFront.Connections;

/// <summary>
/// The live sockets of this front. Once a second it pings the quiet ones, aborts those silent past
/// the idle timeout, and closes a socket with 4001 once its token has expired; on
/// shutdown it refuses new sockets, closes the open ones with 1001 so clients move to another
/// front, and waits (bounded) for them to finish.
/// </summary>
internal sealed class ConnectionRegistry(IHostApplicationLifetime lifetime, TimeProvider time) : IHostedService, IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    // One sweep for every socket instead of a timer each (142 B less live heap per idle socket in a
    // gcdump under `idle`); a token, a ping and the idle timeout are honoured to within this interval.
    internal static readonly TimeSpan ExpirySweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, ClientConnection> _connections = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;
    private ITimer? _expirySweep;

    public bool IsDraining => _draining;

    public int Count => _connections.Count;

    /// <summary>Bytes waiting in every socket's queue (read when metrics are collected; enumerates without locking).</summary>
    public long QueuedBytes => _connections.Sum(c => c.Value.QueuedBytes);

    public void Add(ClientConnection connection) => _connections[connection.Id] = connection;

    public void Remove(ClientConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        if (_draining && _connections.IsEmpty)
        {
            _drained.TrySetResult();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The web server stops first and waits for open requests, and a socket is one long
        // request: closing them has to start when stopping is announced, not when our turn comes.
        lifetime.ApplicationStopping.Register(BeginDrain);
        _expirySweep = time.CreateTimer(static state => ((ConnectionRegistry)state!).CloseExpired(), this, ExpirySweepInterval, ExpirySweepInterval);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        BeginDrain();
        if (_connections.IsEmpty)
        {
            return;
        }

        await _drained.Task.WaitAsync(DrainTimeout, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    public void Dispose() => _expirySweep?.Dispose();

    private void CloseExpired()
    {
        var now = time.GetUtcNow();
        var ticks = Environment.TickCount64;
        foreach (var (_, connection) in _connections)
        {
            if (connection.ExpiresAt <= now)
            {
                connection.Close(CloseCodes.TokenExpired, "token expired", drain: true);
            }

            connection.KeepAlive(ticks);
        }
    }

    private void BeginDrain()
    {
        _draining = true;
        foreach (var connection in _connections.Values)
        {
            connection.Close(CloseCodes.GoingAway, "server going away", drain: true);
        }

        if (_connections.IsEmpty)
        {
            _drained.TrySetResult();
        }
    }
}
