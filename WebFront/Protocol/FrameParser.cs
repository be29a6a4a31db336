using System.Text;
using System.Text.Json;
using Messaging.Rooms;
using Messaging.WebFront.Auth;

namespace Messaging.WebFront.Protocol;

/// <summary>
/// Parses one client text frame (UTF-8 JSON object) into a <see cref="ClientCommand"/>,
/// checking every field the protocol defines. Pure: no I/O, no grain call for a bad frame.
/// Unknown fields are ignored so clients can send newer optional fields.
/// </summary>
internal static class FrameParser
{
    public const int MaxCidLength = 128;
    public const int DefaultHistoryLimit = 50;
    public const int MaxHistoryLimit = 100;

    /// <summary>The longest moderation reason, over the socket and HTTP alike.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The longest name of a room kind's method.</summary>
    public const int MaxMethodLength = 64;

    private static readonly Dictionary<string, CommandType> Types = new(StringComparer.Ordinal)
    {
        ["join"] = CommandType.Join,
        ["leave"] = CommandType.Leave,
        ["send"] = CommandType.Send,
        ["dm"] = CommandType.Dm,
        ["signal"] = CommandType.Signal,
        ["history"] = CommandType.History,
        ["presence"] = CommandType.Presence,
        ["read"] = CommandType.Read,
        ["moderate"] = CommandType.Moderate,
        ["call"] = CommandType.Call,
        ["ping"] = CommandType.Ping,
    };

    public static ParseResult Parse(ReadOnlySpan<byte> utf8)
    {
        string? id = null;
        try
        {
            var fields = ReadFields(utf8, ref id, out var error);
            return error is not null ? ParseResult.Fail(id, error) : Build(fields, id);
        }
        catch (JsonException)
        {
            return ParseResult.Fail(id, "The frame is not valid JSON.");
        }
    }

    private static ParseResult Build(Fields fields, string? id)
    {
        if (fields.Type is null)
        {
            return ParseResult.Fail(id, "The field 'type' is required.");
        }

        if (!Types.TryGetValue(fields.Type, out var type))
        {
            return ParseResult.Fail(id, "Unknown frame type.");
        }

        var command = new ClientCommand(type, id)
        {
            Room = fields.Room,
            Body = fields.Body,
            Cid = fields.Cid,
            Since = fields.Since,
            Before = fields.Before,
            Limit = fields.Limit,
            To = fields.To,
            Seq = fields.Seq,
            User = fields.User,
            Reason = fields.Reason,
            Method = fields.Method,
            Args = fields.Args ?? "null",
        };

        var problem = type switch
        {
            CommandType.Join => RequireRoom(fields) ?? (fields.Since is < 0 ? "'since' must be a seq (0 or more)." : null),
            CommandType.Leave or CommandType.Presence => RequireRoom(fields),
            CommandType.Send or CommandType.Signal => RequireRoom(fields) ?? RequireBody(fields) ?? CheckCid(fields),
            CommandType.History => RequireRoom(fields) ?? CheckHistory(fields),
            CommandType.Dm => RequireTo(fields) ?? RequireBody(fields) ?? CheckCid(fields),
            CommandType.Read => RequireRoom(fields) ?? (fields.Seq is null or < 0 ? "'seq' must be a seq (0 or more)." : null),
            CommandType.Moderate => RequireRoom(fields) ?? CheckModeration(fields),
            CommandType.Call => RequireRoom(fields) ?? (fields.Method is { Length: >= 1 and <= MaxMethodLength } ? null : $"'method' must be 1 to {MaxMethodLength} characters."),
            _ => null,
        };

        if (problem is not null)
        {
            return ParseResult.Fail(id, problem);
        }

        if (type == CommandType.Moderate && ModerationActions.TryParse(fields.Action, out var action))
        {
            command = command with { Action = action };
        }

        if (type == CommandType.History && command.Limit is null)
        {
            command = command with { Limit = DefaultHistoryLimit };
        }

        return ParseResult.Ok(command);
    }

    private static string? RequireRoom(Fields fields) =>
        fields.Room is null ? "The field 'room' is required."
        : RoomName.IsValid(fields.Room) ? null
        : "'room' must be 1 to 128 characters from A-Z a-z 0-9 _ . : -";

    private static string? RequireTo(Fields fields) =>
        fields.To is null ? "The field 'to' is required."
        : fields.To.Length is 0 or > JwtBearerSetup.MaxUserIdLength ? $"'to' must be a user id of 1 to {JwtBearerSetup.MaxUserIdLength} characters."
        : null;

    private static string? CheckModeration(Fields fields)
    {
        if (!ModerationActions.TryParse(fields.Action, out _))
        {
            return "'action' must be one of kick, ban, unban, mute, unmute.";
        }

        if (!JwtBearerSetup.IsValidUserId(fields.User))
        {
            return $"'user' must be a user id of 1 to {JwtBearerSetup.MaxUserIdLength} characters.";
        }

        return fields.Reason is { Length: > MaxReasonLength } ? $"'reason' must be at most {MaxReasonLength} characters." : null;
    }

    private static string? RequireBody(Fields fields) => fields.Body is null ? "The field 'body' is required." : null;

    private static string? CheckCid(Fields fields) =>
        fields.Cid is { Length: 0 or > MaxCidLength } ? $"'cid' must be 1 to {MaxCidLength} characters." : null;

    private static string? CheckHistory(Fields fields)
    {
        if (fields.Before is < 1)
        {
            return "'before' must be a seq (1 or more).";
        }

        return fields.Limit is < 1 or > MaxHistoryLimit ? $"'limit' must be between 1 and {MaxHistoryLimit}." : null;
    }

    private static Fields ReadFields(ReadOnlySpan<byte> utf8, ref string? id, out string? error)
    {
        error = null;
        var fields = default(Fields);
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "A frame must be a JSON object.";
            return fields;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            reader.Read();
            if (escaped)
            {
                // Escaped property names are legal JSON but never needed by the protocol's ASCII names.
                reader.Skip();
                continue;
            }

            if (name.SequenceEqual("id"u8))
            {
                if (reader.TokenType != JsonTokenType.Number)
                {
                    error ??= "'id' must be a number.";
                    continue;
                }

                id = Encoding.UTF8.GetString(reader.ValueSpan);
            }
            else if (name.SequenceEqual("type"u8))
            {
                fields.Type = ReadString(ref reader, "type", ref error);
            }
            else if (name.SequenceEqual("room"u8))
            {
                fields.Room = ReadString(ref reader, "room", ref error);
            }
            else if (name.SequenceEqual("cid"u8))
            {
                fields.Cid = ReadString(ref reader, "cid", ref error);
            }
            else if (name.SequenceEqual("body"u8))
            {
                fields.Body = ReadRaw(ref reader, utf8);
            }
            else if (name.SequenceEqual("to"u8))
            {
                fields.To = ReadString(ref reader, "to", ref error);
            }
            else if (name.SequenceEqual("method"u8))
            {
                fields.Method = ReadString(ref reader, "method", ref error);
            }
            else if (name.SequenceEqual("args"u8))
            {
                fields.Args = ReadRaw(ref reader, utf8);
            }
            else if (name.SequenceEqual("action"u8))
            {
                fields.Action = ReadString(ref reader, "action", ref error);
            }
            else if (name.SequenceEqual("user"u8))
            {
                fields.User = ReadString(ref reader, "user", ref error);
            }
            else if (name.SequenceEqual("reason"u8))
            {
                fields.Reason = ReadString(ref reader, "reason", ref error);
            }
            else if (name.SequenceEqual("seq"u8))
            {
                fields.Seq = ReadSeq(ref reader, "seq", ref error);
            }
            else if (name.SequenceEqual("since"u8))
            {
                fields.Since = ReadSeq(ref reader, "since", ref error);
            }
            else if (name.SequenceEqual("before"u8))
            {
                fields.Before = ReadSeq(ref reader, "before", ref error);
            }
            else if (name.SequenceEqual("limit"u8))
            {
                var limit = ReadSeq(ref reader, "limit", ref error);
                fields.Limit = limit is null ? null : (int)Math.Clamp(limit.Value, int.MinValue, int.MaxValue);
            }
            else
            {
                reader.Skip();
            }
        }

        // Reading to the end rejects trailing garbage after the object.
        while (reader.Read())
        {
        }

        return fields;
    }

    /// <summary>Any JSON value, kept as the client wrote it.</summary>
    private static string ReadRaw(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(utf8[start..(int)reader.BytesConsumed]);
    }

    private static string? ReadString(ref Utf8JsonReader reader, string field, ref string? error)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            error ??= $"'{field}' must be a string.";
            reader.Skip();
            return null;
        }

        return reader.GetString();
    }

    private static long? ReadSeq(ref Utf8JsonReader reader, string field, ref string? error)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            error ??= $"'{field}' must be an integer.";
            reader.Skip();
            return null;
        }

        return value;
    }

    private struct Fields
    {
        public string? Type;
        public string? Room;
        public string? Body;
        public string? Cid;
        public long? Since;
        public long? Before;
        public int? Limit;
        public string? To;
        public long? Seq;
        public string? Action;
        public string? User;
        public string? Reason;
        public string? Method;
        public string? Args;
    }
}
