using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Messaging.Bench;

/// <summary>The platform's protocol (docs/PROTOCOL.md): JSON frames, one per WebSocket message.</summary>
internal sealed class OursProtocol(bool withCid = false) : IWireProtocol
{
    public string Name => "ours";

    public ReadOnlyMemory<byte> KeepAlive => ReadOnlyMemory<byte>.Empty;

    public Uri Prepare(ClientWebSocketOptions options, Uri baseUrl, string token)
    {
        options.SetRequestHeader("Authorization", "Bearer " + token);
        return baseUrl;
    }

    public Task HandshakeAsync(ClientWebSocket socket, CancellationToken cancellationToken) => Task.CompletedTask;

    public void WriteJoin(IBufferWriter<byte> output, int id, string room)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("type"u8, "join"u8);
        w.WriteNumber("id"u8, id);
        w.WriteString("room"u8, room);
        w.WriteEndObject();
    }

    public void WritePublish(IBufferWriter<byte> output, int id, string room, ReadOnlySpan<byte> body, bool signal)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        w.WriteStartObject();
        w.WriteString("type"u8, signal ? "signal"u8 : "send"u8);
        if (!signal)
        {
            w.WriteNumber("id"u8, id);
            if (withCid)
            {
                // As the client libraries do: every send carries a cid, unique per sender.
                Span<byte> cid = stackalloc byte[11];
                System.Buffers.Text.Utf8Formatter.TryFormat(id, cid, out var written);
                w.WriteString("cid"u8, cid[..written]);
            }
        }

        w.WriteString("room"u8, room);
        w.WritePropertyName("body"u8);
        w.WriteRawValue(body, skipInputValidation: true);
        w.WriteEndObject();
    }

    public void Parse(ReadOnlySpan<byte> message, IFrameSink sink)
    {
        var reader = new Utf8JsonReader(message);
        reader.Read();
        string? type = null;
        int id = 0;
        long seq = -1;
        string? code = null;
        (long Ticks, int Publisher, int Number) body = default;
        var hasBody = false;
        while (reader.Read() && reader.CurrentDepth >= 1)
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = TypeName(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : int.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = reader.GetString();
            }
            else if (reader.ValueTextEquals("body"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    body = BodyReader.Read(ref reader);
                    hasBody = true;
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        switch (type)
        {
            case "message" when hasBody:
                sink.OnDelivery(seq, body.Ticks, body.Publisher, body.Number, signal: false);
                break;
            case "signal" when hasBody:
                sink.OnDelivery(-1, body.Ticks, body.Publisher, body.Number, signal: true);
                break;
            case "ack" or "joined":
                sink.OnAnswer(id, seq);
                break;
            case "error":
                sink.OnError(id, code ?? "error");
                break;
        }
    }

    private static string TypeName(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("message"u8) ? "message"
        : reader.ValueTextEquals("signal"u8) ? "signal"
        : reader.ValueTextEquals("ack"u8) ? "ack"
        : reader.ValueTextEquals("joined"u8) ? "joined"
        : reader.ValueTextEquals("error"u8) ? "error"
        : Encoding.UTF8.GetString(reader.ValueSpan);
}
