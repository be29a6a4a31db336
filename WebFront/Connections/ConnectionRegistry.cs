using System.Collections.Concurrent;
using Messaging.WebFront.Protocol;
using Microsoft.Extensions.Hosting;

namespace Messaging.WebFront.Connections;

/// <summary>
/// The live sockets of this front. On shutdown it refuses new sockets, then closes the open ones
/// with 1001 so clients move to another front, and waits (bounded) for them to finish.
/// </summary>
internal sealed class ConnectionRegistry : IHostedService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ClientConnection> _connections = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public int Count => _connections.Count;

    public void Add(ClientConnection connection) => _connections[connection.Id] = connection;

    public void Remove(ClientConnection connection)
    {
        _connections.TryRemove(connection.Id, out _);
        if (_draining && _connections.IsEmpty)
        {
            _drained.TrySetResult();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        foreach (var connection in _connections.Values)
        {
            connection.Close(CloseCodes.GoingAway, "server going away", drain: true);
        }

        if (_connections.IsEmpty)
        {
            return;
        }

        await _drained.Task.WaitAsync(DrainTimeout, cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }
}
