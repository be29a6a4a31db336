using System.Buffers;
using System.Net.WebSockets;

namespace Messaging.Bench;

/// <summary>One server's wire protocol as the load tool speaks it: ours, or SignalR's JSON hub protocol.</summary>
internal interface IWireProtocol
{
    string Name { get; }

    /// <summary>Sets up the handshake request (address, token) for one client.</summary>
    Uri Prepare(ClientWebSocketOptions options, Uri baseUrl, string token);

    /// <summary>Runs whatever must happen on a new socket before commands (SignalR's handshake).</summary>
    Task HandshakeAsync(ClientWebSocket socket, CancellationToken cancellationToken);

    /// <summary>Writes a join command answered with <paramref name="id"/>.</summary>
    void WriteJoin(IBufferWriter<byte> output, int id, string room);

    /// <summary>Writes a stored send (id &gt; 0, answered) or a signal (not answered) carrying <paramref name="body"/>.</summary>
    void WritePublish(IBufferWriter<byte> output, int id, string room, ReadOnlySpan<byte> body, bool signal);

    /// <summary>A keep-alive the server needs from an idle client, or empty.</summary>
    ReadOnlyMemory<byte> KeepAlive { get; }

    /// <summary>Parses one received WebSocket message and reports what it carried.</summary>
    void Parse(ReadOnlySpan<byte> message, IFrameSink sink);
}
