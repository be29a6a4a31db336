using System.Buffers;
using System.Text.Json;
using Messaging.Rooms;

namespace Messaging.WebFront.Protocol;

/// <summary>
/// Builds server-to-client frames as UTF-8 bytes. A room message is built once per front and
/// the same array is queued to every local member, so nothing here is per recipient.
/// </summary>
internal static class ServerFrames
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    public static byte[] Welcome(string user, string connectionId, ProtocolLimits limits) => Build(w =>
    {
        w.WriteString("type"u8, "welcome"u8);
        w.WriteString("user"u8, user);
        w.WriteString("conn"u8, connectionId);
        w.WriteStartObject("limits"u8);
        w.WriteNumber("frameBytes"u8, limits.FrameBytes);
        w.WriteNumber("commandsPerSecond"u8, limits.CommandsPerSecond);
        w.WriteNumber("commandBurst"u8, limits.CommandBurst);
        w.WriteNumber("roomsPerConnection"u8, limits.RoomsPerConnection);
        w.WriteNumber("queueBytes"u8, limits.QueueBytes);
        w.WriteNumber("idleTimeoutSeconds"u8, (long)limits.IdleTimeout.TotalSeconds);
        w.WriteNumber("historyLimit"u8, FrameParser.MaxHistoryLimit);
        w.WriteNumber("cidLength"u8, FrameParser.MaxCidLength);
        w.WriteEndObject();
    });

    public static byte[] Joined(string? id, string room, RoomJoinResult result, bool? recovered) => Build(w =>
    {
        w.WriteString("type"u8, "joined"u8);
        WriteId(w, id);
        w.WriteString("room"u8, room);
        w.WriteNumber("seq"u8, result.Seq);
        w.WriteNumber("online"u8, result.Online);
        if (recovered is not null)
        {
            w.WriteBoolean("recovered"u8, recovered.Value);
        }
    });

    public static byte[] Presence(string? id, string room, RoomPresence presence) => Build(w =>
    {
        w.WriteString("type"u8, "presence"u8);
        WriteId(w, id);
        w.WriteString("room"u8, room);
        WriteStrings(w, "users"u8, presence.Users);
        w.WriteNumber("online"u8, presence.Online);
    });

    public static byte[] PresenceDiff(RoomPresenceDiff diff) => Build(w =>
    {
        w.WriteString("type"u8, "presence"u8);
        w.WriteString("room"u8, diff.Room);
        WriteStrings(w, "join"u8, diff.Joined);
        WriteStrings(w, "leave"u8, diff.Left);
    });

    public static byte[] Signal(RoomSignal signal) => Build(w =>
    {
        w.WriteString("type"u8, "signal"u8);
        w.WriteString("room"u8, signal.Room);
        w.WriteString("from"u8, signal.From);
        w.WritePropertyName("body"u8);
        w.WriteRawValue(signal.Body, skipInputValidation: true);
    });

    public static byte[] Left(string? id, string room) => Build(w =>
    {
        w.WriteString("type"u8, "left"u8);
        WriteId(w, id);
        w.WriteString("room"u8, room);
    });

    /// <summary>Removed from a room by the room (kicked, banned, no longer a member, deleted): <c>left</c> without an id.</summary>
    public static byte[] Removed(string room, string reason) => Build(w =>
    {
        w.WriteString("type"u8, "left"u8);
        w.WriteString("room"u8, room);
        w.WriteString("reason"u8, reason);
    });

    public static byte[] Ack(string? id, string room, long seq) => Build(w =>
    {
        w.WriteString("type"u8, "ack"u8);
        WriteId(w, id);
        w.WriteString("room"u8, room);
        w.WriteNumber("seq"u8, seq);
    });

    public static byte[] Message(string room, StoredMessage message) => Build(w =>
    {
        w.WriteString("type"u8, "message"u8);
        WriteMessageFields(w, room, message);
    });

    public static byte[] History(string? id, string room, IReadOnlyList<StoredMessage> messages) => Build(w =>
    {
        w.WriteString("type"u8, "history"u8);
        WriteId(w, id);
        w.WriteString("room"u8, room);
        w.WriteStartArray("messages"u8);
        foreach (var message in messages)
        {
            w.WriteStartObject();
            WriteMessageFields(w, room, message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    });

    /// <summary>The answer to <c>call</c>: the room kind's value, as the JSON it returned.</summary>
    public static byte[] Result(string? id, string value) => Build(w =>
    {
        w.WriteString("type"u8, "result"u8);
        WriteId(w, id);
        w.WritePropertyName("value"u8);
        w.WriteRawValue(value, skipInputValidation: false);
    });

    public static byte[] Ok(string? id) => Build(w =>
    {
        w.WriteString("type"u8, "ok"u8);
        WriteId(w, id);
    });

    public static byte[] Pong(string? id) => Build(w =>
    {
        w.WriteString("type"u8, "pong"u8);
        WriteId(w, id);
    });

    public static byte[] Error(string? id, string code, string message) => Build(w =>
    {
        w.WriteString("type"u8, "error"u8);
        WriteId(w, id);
        w.WriteString("code"u8, code);
        w.WriteString("message"u8, message);
    });

    private static void WriteMessageFields(Utf8JsonWriter w, string room, StoredMessage message)
    {
        w.WriteString("room"u8, room);
        w.WriteNumber("seq"u8, message.Seq);
        w.WriteString("from"u8, message.From);
        w.WritePropertyName("body"u8);

        // The body is the client's JSON exactly as validated at the front; it is not re-encoded.
        w.WriteRawValue(message.Body, skipInputValidation: true);
        w.WriteNumber("ts"u8, message.Ts);
        if (message.Cid is not null)
        {
            w.WriteString("cid"u8, message.Cid);
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }

    private static void WriteId(Utf8JsonWriter w, string? id)
    {
        if (id is not null)
        {
            w.WritePropertyName("id"u8);
            w.WriteRawValue(id, skipInputValidation: true);
        }
    }

    private static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
