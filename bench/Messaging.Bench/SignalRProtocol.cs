using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Messaging.Bench;

/// <summary>
/// ASP.NET Core SignalR's JSON hub protocol over a WebSocket, without negotiation (the way its
/// clients connect with SkipNegotiation): records end with 0x1E and one message may hold several.
/// </summary>
internal sealed class SignalRProtocol : IWireProtocol
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    public string Name => "signalr-redis";

    public ReadOnlyMemory<byte> KeepAlive => Ping;

    public Uri Prepare(ClientWebSocketOptions options, Uri baseUrl, string token) =>
        new($"{baseUrl}?access_token={Uri.EscapeDataString(token)}");

    public async Task HandshakeAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[256];
        var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
        if (!text.StartsWith("{}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("SignalR handshake refused: " + text);
        }
    }

    public void WriteJoin(IBufferWriter<byte> output, int id, string room) => WriteInvocation(output, id, "Join", room, default);

    public void WritePublish(IBufferWriter<byte> output, int id, string room, ReadOnlySpan<byte> body, bool signal) =>
        WriteInvocation(output, signal ? 0 : id, signal ? "Signal" : "Send", room, body);

    public void Parse(ReadOnlySpan<byte> message, IFrameSink sink)
    {
        while (!message.IsEmpty)
        {
            var end = message.IndexOf(RecordSeparator);
            if (end < 0)
            {
                return;
            }

            ParseRecord(message[..end], sink);
            message = message[(end + 1)..];
        }
    }

    private static void WriteInvocation(IBufferWriter<byte> output, int id, string target, string room, ReadOnlySpan<byte> body)
    {
        using (var w = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("type"u8, 1);
            if (id > 0)
            {
                w.WriteString("invocationId"u8, id.ToString(CultureInfo.InvariantCulture));
            }

            w.WriteString("target"u8, target);
            w.WriteStartArray("arguments"u8);
            w.WriteStringValue(room);
            if (!body.IsEmpty)
            {
                w.WriteRawValue(body, skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        output.GetSpan(1)[0] = RecordSeparator;
        output.Advance(1);
    }

    private static void ParseRecord(ReadOnlySpan<byte> record, IFrameSink sink)
    {
        var reader = new Utf8JsonReader(record);
        reader.Read();
        int type = 0, id = 0;
        string? target = null, error = null;
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
                type = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("invocationId"u8))
            {
                reader.Read();
                id = int.Parse(reader.GetString()!, CultureInfo.InvariantCulture);
            }
            else if (reader.ValueTextEquals("target"u8))
            {
                reader.Read();
                target = reader.GetString();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = reader.GetString();
            }
            else if (reader.ValueTextEquals("arguments"u8))
            {
                // arguments: [room, from, body]
                reader.Read();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        body = BodyReader.Read(ref reader);
                        hasBody = true;
                    }
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
            case 1 when hasBody:
                sink.OnDelivery(-1, body.Ticks, body.Publisher, body.Number, signal: target == "signal");
                break;
            case 3 when error is not null:
                sink.OnError(id, "hub_error");
                break;
            case 3:
                sink.OnAnswer(id, -1);
                break;
            case 7:
                sink.OnError(0, "closed_by_server");
                break;
        }
    }
}
