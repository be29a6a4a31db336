using System;
using System.Linq;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Messaging.Client;

/// <summary>The protocol's commands. Bodies are JSON text (validated before they are sent).</summary>
public sealed partial class MessagingClient
{
    /// <summary>Joins <paramref name="room"/>; its messages arrive on <see cref="Events"/>, and it is rejoined after every reconnect.</summary>
    public async Task<JoinResult> JoinAsync(string room, CancellationToken cancellationToken = default)
    {
        var added = false;
        var cursor = _rooms.GetOrAdd(room, r =>
        {
            added = true;
            return new RoomCursor(r);
        });
        try
        {
            var since = cursor.LastSeq;
            var answer = await RequestAsync(w =>
            {
                w.WriteString("type", "join");
                w.WriteString("room", room);
                if (since >= 0)
                {
                    w.WriteNumber("since", since);
                }
            }, cancellationToken).ConfigureAwait(false);
            return new JoinResult(room, answer.GetProperty("seq").GetInt64(), answer.TryGetProperty("online", out var online) ? online.GetInt32() : 0);
        }
        catch (MessagingException ex) when (added && ex.Code != "unavailable")
        {
            _rooms.TryRemove(room, out _);
            throw;
        }
    }

    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        _rooms.TryRemove(room, out _);
        await RequestAsync(w =>
        {
            w.WriteString("type", "leave");
            w.WriteString("room", room);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="jsonBody"/> (a JSON value) to <paramref name="room"/> and completes when it is
    /// stored. Across reconnects it is sent again with the same <paramref name="cid"/> (a new one when
    /// null) until acknowledged, and stored once.
    /// </summary>
    public Task<SendResult> SendAsync(string room, string jsonBody, string? cid = null, CancellationToken cancellationToken = default) =>
        SendStoredAsync("send", "room", room, jsonBody, cid, cancellationToken);

    /// <summary>Sends a text message: <paramref name="text"/> as a JSON string.</summary>
    public Task<SendResult> SendTextAsync(string room, string text, string? cid = null, CancellationToken cancellationToken = default) =>
        SendAsync(room, JsonSerializer.Serialize(text), cid, cancellationToken);

    /// <summary>A direct message to <paramref name="user"/>, with the same guarantees as <see cref="SendAsync"/>.</summary>
    public Task<SendResult> SendDirectAsync(string user, string jsonBody, string? cid = null, CancellationToken cancellationToken = default) =>
        SendStoredAsync("dm", "to", user, jsonBody, cid, cancellationToken);

    /// <summary>An ephemeral signal to a joined room; not answered, not stored, dropped while disconnected.</summary>
    public async Task SignalAsync(string room, string jsonBody, CancellationToken cancellationToken = default)
    {
        ValidateJson(jsonBody);
        if (_socket is null)
        {
            return;
        }

        await WriteAsync(Frame(w =>
        {
            w.WriteString("type", "signal");
            w.WriteString("room", room);
            w.WritePropertyName("body");
            w.WriteRawValue(jsonBody, skipInputValidation: true);
        }, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Up to <paramref name="limit"/> messages before <paramref name="before"/> (null: the latest), ascending.</summary>
    public async Task<HistoryPage> HistoryAsync(string room, long? before = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(w =>
        {
            w.WriteString("type", "history");
            w.WriteString("room", room);
            if (before is { } value)
            {
                w.WriteNumber("before", value);
            }

            w.WriteNumber("limit", limit);
        }, cancellationToken).ConfigureAwait(false);
        return new HistoryPage(room, answer.GetProperty("messages").EnumerateArray().Select(m => ReadMessage(room, m)).ToList());
    }

    public async Task<Presence> PresenceAsync(string room, CancellationToken cancellationToken = default)
    {
        var answer = await RequestAsync(w =>
        {
            w.WriteString("type", "presence");
            w.WriteString("room", room);
        }, cancellationToken).ConfigureAwait(false);
        return new Presence(room, answer.GetProperty("online").GetInt32(), answer.GetProperty("users").EnumerateArray().Select(u => u.GetString() ?? string.Empty).ToList());
    }

    /// <summary>Records that this user has read <paramref name="room"/> up to <paramref name="seq"/> (not answered).</summary>
    public Task MarkReadAsync(string room, long seq, CancellationToken cancellationToken = default) =>
        _socket is null ? Task.CompletedTask : WriteAsync(Frame(w =>
        {
            w.WriteString("type", "read");
            w.WriteString("room", room);
            w.WriteNumber("seq", seq);
        }, null), cancellationToken);

    /// <summary><paramref name="action"/> is <c>kick</c>, <c>ban</c>, <c>unban</c>, <c>mute</c> or <c>unmute</c>.</summary>
    public Task ModerateAsync(string room, string action, string user, string? reason = null, CancellationToken cancellationToken = default) =>
        RequestAsync(w =>
        {
            w.WriteString("type", "moderate");
            w.WriteString("room", room);
            w.WriteString("action", action);
            w.WriteString("user", user);
            if (reason is not null)
            {
                w.WriteString("reason", reason);
            }
        }, cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken = default) => RequestAsync(w => w.WriteString("type", "ping"), cancellationToken);

    /// <summary>A <c>send</c> or <c>dm</c> (<paramref name="type"/>) to <paramref name="target"/>, with a cid, until acknowledged.</summary>
    private Task<SendResult> SendStoredAsync(string type, string targetField, string target, string jsonBody, string? cid, CancellationToken cancellationToken)
    {
        ValidateJson(jsonBody);
        var id = cid ?? Guid.NewGuid().ToString("N");
        return SendReliablyAsync(new UnackedSend(id, w =>
        {
            w.WriteString("type", type);
            w.WriteString(targetField, target);
            w.WritePropertyName("body");
            w.WriteRawValue(jsonBody, skipInputValidation: true);
            w.WriteString("cid", id);
        }), cancellationToken);
    }

    private async Task<SendResult> SendReliablyAsync(UnackedSend send, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _unacked.Add(send);
        }

        try
        {
            // Sent now when connected; otherwise the next connection sends it with the rest.
            await WriteSendAsync(send, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException or ObjectDisposedException)
        {
        }

        using var registration = cancellationToken.Register(() =>
        {
            Forget(send);
            send.Completion.TrySetCanceled(cancellationToken);
        });
        return await send.Completion.Task.ConfigureAwait(false);
    }

    private async Task WriteSendAsync(UnackedSend send, CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            return;
        }

        var id = Interlocked.Increment(ref _nextId);
        _pending[id] = new PendingRequest(null, send);
        try
        {
            await WriteAsync(Frame(send.Write, id), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _pending.TryRemove(id, out _);
            throw;
        }
    }

    /// <summary>Sends a command once connected and waits (at most the request timeout) for the frame answering its id.</summary>
    private async Task<JsonElement> RequestAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            await WaitConnectedAsync(timeout.Token).ConfigureAwait(false);
            var id = Interlocked.Increment(ref _nextId);
            var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = new PendingRequest(answer, null);
            try
            {
                await WriteAsync(Frame(write, id), timeout.Token).ConfigureAwait(false);
                using var registration = timeout.Token.Register(() => answer.TrySetCanceled(timeout.Token));
                return await answer.Task.ConfigureAwait(false);
            }
            finally
            {
                _pending.TryRemove(id, out _);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer within {_options.RequestTimeout}.");
        }
    }

    private async Task WriteAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var socket = _socket ?? throw new InvalidOperationException("Not connected.");
            await socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static void ValidateJson(string json)
    {
        using var document = JsonDocument.Parse(json);
    }
}
