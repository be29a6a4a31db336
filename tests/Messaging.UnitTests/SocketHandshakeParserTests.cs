using System.Buffers;
using System.Text;
using Messaging.WebFront.Connections;
using Xunit;

namespace Messaging.UnitTests;

public sealed class SocketHandshakeParserTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    private static string Request(string target = "/ws", string headers = "") =>
        $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: 13\r\n{headers}\r\n";

    [Fact]
    public void A_plain_upgrade_with_a_header_token_is_ours()
    {
        var head = Request(headers: $"Authorization: Bearer {Token}\r\nOrigin: http://127.0.0.1:5000\r\nUser-Agent: test\r\n");

        Assert.Equal(SocketHandshakeReading.Ours, Read(head + "first frame bytes", out var handshake));
        Assert.Equal(Encoding.ASCII.GetByteCount(head), handshake.HeadLength);
        Assert.Equal(Key, handshake.Key);
        Assert.Equal(Token, handshake.Token);
        Assert.Equal("http://127.0.0.1:5000", handshake.Origin);
        Assert.Equal("127.0.0.1:5000", handshake.Host);
    }

    [Fact]
    public void A_query_token_is_read_and_a_header_token_wins_over_it()
    {
        Assert.Equal(SocketHandshakeReading.Ours, Read(Request($"/ws?v=1&access_token={Token}"), out var fromQuery));
        Assert.Equal(Token, fromQuery.Token);
        Assert.Equal(string.Empty, fromQuery.Origin);

        Assert.Equal(SocketHandshakeReading.Ours, Read(Request("/ws?access_token=other", $"authorization: bearer {Token}\r\n"), out var fromHeader));
        Assert.Equal(Token, fromHeader.Token);
    }

    [Theory]
    [InlineData("GET /")]
    [InlineData("GET /w")]
    [InlineData("GET /ws")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: x\r\n")]
    public void A_head_that_could_still_become_ours_waits_for_more(string start) =>
        Assert.Equal(SocketHandshakeReading.Incomplete, Read(start, out _));

    [Theory]
    [InlineData("POST /ws HTTP/1.1\r\n\r\n")]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n")]
    [InlineData("\u0016\u0003\u0001")]
    public void Other_requests_are_not_ours_from_their_first_bytes(string start) =>
        Assert.Equal(SocketHandshakeReading.NotOurs, Read(start, out _));

    public static TheoryData<string, string> Unusual() => new()
    {
        { "another path", Request("/wsx", $"Authorization: Bearer {Token}\r\n") },
        { "HTTP/1.0", Request(headers: $"Authorization: Bearer {Token}\r\n").Replace("HTTP/1.1", "HTTP/1.0", StringComparison.Ordinal) },
        { "no token", Request() },
        { "a basic credential", Request(headers: "Authorization: Basic YTpi\r\n") },
        { "an empty query token", Request("/ws?access_token=") },
        { "an encoded query token", Request("/ws?access_token=a%2Eb") },
        { "two query tokens", Request($"/ws?access_token={Token}&access_token={Token}") },
        { "an encoded query name", Request($"/ws?access%5Ftoken={Token}") },
        { "a subprotocol", Request(headers: $"Authorization: Bearer {Token}\r\nSec-WebSocket-Protocol: chat\r\n") },
        { "a body", Request(headers: $"Authorization: Bearer {Token}\r\nContent-Length: 3\r\n") },
        { "a repeated header", Request(headers: $"Authorization: Bearer {Token}\r\nHost: other\r\n") },
        { "a non-ASCII value", Request(headers: $"Authorization: Bearer {Token}\r\nX-Name: caf\u00e9\r\n") },
        { "a folded line", Request(headers: $"Authorization: Bearer {Token}\r\n continued\r\n") },
        { "version 8", Request(headers: $"Authorization: Bearer {Token}\r\n").Replace("Version: 13", "Version: 8", StringComparison.Ordinal) },
        { "a short key", Request(headers: $"Authorization: Bearer {Token}\r\n").Replace(Key, "c2hvcnQ=", StringComparison.Ordinal) },
        { "no upgrade token", Request(headers: $"Authorization: Bearer {Token}\r\n").Replace("Connection: Upgrade", "Connection: keep-alive", StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Unusual))]
    public void Anything_unusual_is_left_to_the_pipeline(string why, string head) =>
        Assert.True(Read(head, out _) == SocketHandshakeReading.NotOurs, why);

    [Fact]
    public void A_head_past_the_limit_is_not_ours_even_before_it_ends()
    {
        var huge = Request(headers: $"Authorization: Bearer {Token}\r\nX-Pad: {new string('a', SocketHandshakeParser.MaxHeadBytes)}\r\n");

        Assert.Equal(SocketHandshakeReading.NotOurs, Read(huge, out _));
        Assert.Equal(SocketHandshakeReading.NotOurs, Read(huge[..(SocketHandshakeParser.MaxHeadBytes + 10)], out _));
    }

    [Fact]
    public void A_head_split_over_buffer_segments_reads_as_one()
    {
        var bytes = Encoding.ASCII.GetBytes(Request(headers: $"Authorization: Bearer {Token}\r\n"));
        var first = new Segment(bytes.AsMemory(0, 30));
        var last = first.Append(bytes.AsMemory(30));

        Assert.Equal(SocketHandshakeReading.Ours, SocketHandshakeParser.Read(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), out var handshake));
        Assert.Equal(bytes.Length, handshake.HeadLength);
    }

    private static SocketHandshakeReading Read(string text, out SocketHandshake handshake) =>
        SocketHandshakeParser.Read(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), out handshake);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
