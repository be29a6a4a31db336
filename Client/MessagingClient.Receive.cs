using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Messaging.Client;

/// <summary>The receive side: one loop per connection reads frames in order and dispatches them.</summary>
public sealed partial class MessagingClient
{
    private const int InitialReceiveBuffer = 8 * 1024;

    /// <summary>Reads frames until the connection ends; returns why it ended.</summary>
    private async Task<string?> ReceiveLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return $"closed {(int?)socket.CloseStatus} {socket.CloseStatusDescription}";
                    }

                    count += result.Count;
                }
                while (!result.EndOfMessage);

                using var document = JsonDocument.Parse(buffer.AsMemory(0, count));
                await DispatchAsync(document.RootElement).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return ex.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Task WelcomedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _connected.Task;
        }
    }

    private async Task DispatchAsync(JsonElement frame)
    {
        var type = Text(frame, "type");
        if (frame.TryGetProperty("id", out var idValue) && idValue.TryGetInt32(out var id) && _pending.TryRemove(id, out var request))
        {
            if (type == "joined")
            {
                OnJoined(frame);
            }

            Answer(request, type, frame);
            return;
        }

        switch (type)
        {
            case "welcome":
                User = Text(frame, "user");
                ConnectionId = Text(frame, "conn");
                lock (_gate)
                {
                    _connected.TrySetResult(true);
                }

                break;
            case "message":
                var message = ReadMessage(Text(frame, "room"), frame);
                var cursor = _rooms.GetOrAdd(message.Room, static room => new RoomCursor(room));
                await DeliverAsync(cursor, message).ConfigureAwait(false);
                break;
            case "signal":
                await PublishAsync(new SignalReceived(Text(frame, "room"), Text(frame, "from"), frame.GetProperty("body").GetRawText())).ConfigureAwait(false);
                break;
            case "presence":
                await PublishAsync(new PresenceChanged(Text(frame, "room"), Strings(frame, "join"), Strings(frame, "leave"))).ConfigureAwait(false);
                break;
            case "left":
                var room = Text(frame, "room");
                _rooms.TryRemove(room, out _);
                await PublishAsync(new RemovedFromRoom(room, Text(frame, "reason"))).ConfigureAwait(false);
                break;
        }
    }

    private void OnJoined(JsonElement frame)
    {
        // Live messages follow `joined` on the same path; a fresh join starts after its seq.
        if (_rooms.TryGetValue(Text(frame, "room"), out var cursor))
        {
            lock (cursor)
            {
                if (cursor.LastSeq < 0)
                {
                    cursor.LastSeq = frame.GetProperty("seq").GetInt64();
                }
            }
        }
    }

    private void Answer(PendingRequest request, string type, JsonElement frame)
    {
        if (request.Send is { } send)
        {
            if (type == "ack")
            {
                Forget(send);
                send.Completion.TrySetResult(new SendResult(Text(frame, "room"), frame.GetProperty("seq").GetInt64(), send.Cid));
            }
            else if (type == "error")
            {
                Forget(send);
                send.Completion.TrySetException(new MessagingException(Text(frame, "code"), Text(frame, "message")));
            }

            return;
        }

        if (type == "error")
        {
            request.Answer?.TrySetException(new MessagingException(Text(frame, "code"), Text(frame, "message")));
        }
        else
        {
            request.Answer?.TrySetResult(frame.Clone());
        }
    }

    private void Forget(UnackedSend send)
    {
        lock (_gate)
        {
            _unacked.Remove(send);
        }
    }

    /// <summary>Delivers a message once, in seq order: repeats (a rejoin overlapping what was seen) are dropped.</summary>
    private async Task DeliverAsync(RoomCursor cursor, MessageReceived message)
    {
        lock (cursor)
        {
            if (cursor.Filling)
            {
                cursor.Held.Add(message);
                return;
            }

            if (cursor.LastSeq >= 0 && message.Seq <= cursor.LastSeq)
            {
                return;
            }

            cursor.LastSeq = message.Seq;
        }

        await PublishAsync(message).ConfigureAwait(false);
    }

    private static MessageReceived ReadMessage(string room, JsonElement message) => new(
        room,
        message.GetProperty("seq").GetInt64(),
        Text(message, "from"),
        message.GetProperty("body").GetRawText(),
        message.TryGetProperty("ts", out var ts) ? ts.GetInt64() : 0,
        message.TryGetProperty("cid", out var cid) && cid.ValueKind == JsonValueKind.String ? cid.GetString() : null);

    private static IReadOnlyList<string> Strings(JsonElement frame, string name) =>
        frame.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToList()
            : Array.Empty<string>();
}
