using System.Buffers;
using System.Text;

namespace Messaging.WebFront.Connections;

/// <summary>
/// Reads a connection's first bytes as a WebSocket upgrade to <c>/ws</c>. Deliberately narrow:
/// only a plain HTTP/1.1 <c>GET /ws</c> with the upgrade headers, a bearer token and nothing that
/// would change how it is answered is <see cref="SocketHandshakeReading.Ours"/>. Everything else,
/// malformed or merely unusual, is <see cref="SocketHandshakeReading.NotOurs"/>, and Kestrel's own
/// HTTP pipeline answers it (with the problem details, 401s and 403s it always gave).
/// </summary>
internal static class SocketHandshakeParser
{
    /// <summary>A longer head is Kestrel's to read (and to limit).</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static ReadOnlySpan<byte> Prefix => "GET /ws"u8;

    private static ReadOnlySpan<byte> Protocol => " HTTP/1.1"u8;

    public static SocketHandshakeReading Read(in ReadOnlySequence<byte> data, out SocketHandshake handshake)
    {
        if (data.IsSingleSegment)
        {
            return Read(data.FirstSpan, out handshake);
        }

        var length = (int)Math.Min(data.Length, MaxHeadBytes);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            data.Slice(0, length).CopyTo(copy);
            // Cut at the limit, a head that does not end within it reads as not ours.
            return Read(copy.AsSpan(0, length), out handshake);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public static SocketHandshakeReading Read(ReadOnlySpan<byte> data, out SocketHandshake handshake)
    {
        handshake = default;
        var prefix = Math.Min(data.Length, Prefix.Length);
        if (!data[..prefix].SequenceEqual(Prefix[..prefix]))
        {
            return SocketHandshakeReading.NotOurs;
        }

        var window = data[..Math.Min(data.Length, MaxHeadBytes)];
        var blank = window.IndexOf("\r\n\r\n"u8);
        if (blank < 0)
        {
            return data.Length >= MaxHeadBytes ? SocketHandshakeReading.NotOurs : SocketHandshakeReading.Incomplete;
        }

        // Every line of the head, the last one included, ends with CRLF.
        var head = window[..(blank + 2)];
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = head[..lineEnd];
        if (!requestLine.EndsWith(Protocol) || requestLine.Length < "GET ".Length + Protocol.Length)
        {
            return SocketHandshakeReading.NotOurs;
        }

        var target = requestLine["GET ".Length..^Protocol.Length];
        string? queryToken = null;
        if (!target.SequenceEqual("/ws"u8) &&
            !(target.StartsWith("/ws?"u8) && TryReadQueryToken(target["/ws?".Length..], out queryToken)))
        {
            return SocketHandshakeReading.NotOurs;
        }

        var seen = 0;
        string? key = null, origin = null, host = null, headerToken = null;
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var eol = rest.IndexOf("\r\n"u8);
            var line = rest[..eol];
            rest = rest[(eol + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                return SocketHandshakeReading.NotOurs;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (!IsFieldValue(value))
            {
                return SocketHandshakeReading.NotOurs;
            }

            var header = Classify(name);
            if (header == Header.Unusual)
            {
                return SocketHandshakeReading.NotOurs;
            }

            if (header == Header.Other)
            {
                continue;
            }

            var bit = 1 << (int)header;
            if ((seen & bit) != 0)
            {
                // A repeated header is joined by the HTTP layer; leave that to it.
                return SocketHandshakeReading.NotOurs;
            }

            seen |= bit;
            var ok = header switch
            {
                Header.Host => IsHost(value) && Assign(value, out host),
                Header.Upgrade => Ascii.EqualsIgnoreCase(value, "websocket"u8),
                Header.Connection => HasUpgradeToken(value),
                Header.Key => Assign(value, out key) && IsKey(key!),
                Header.Version => value.SequenceEqual("13"u8),
                Header.Origin => Assign(value, out origin),
                Header.Authorization => TryReadBearer(value, out headerToken),
                _ => false,
            };
            if (!ok)
            {
                return SocketHandshakeReading.NotOurs;
            }
        }

        // The header's token wins over the query's, as in the bearer handler's setup.
        var token = headerToken ?? queryToken;
        const int required = (1 << (int)Header.Host) | (1 << (int)Header.Upgrade) | (1 << (int)Header.Connection) |
            (1 << (int)Header.Key) | (1 << (int)Header.Version);
        if ((seen & required) != required || token is null)
        {
            return SocketHandshakeReading.NotOurs;
        }

        handshake = new SocketHandshake(blank + 4, key!, token, origin ?? string.Empty, host!);
        return SocketHandshakeReading.Ours;
    }

    private enum Header
    {
        Other,
        Unusual,
        Host,
        Upgrade,
        Connection,
        Key,
        Version,
        Origin,
        Authorization,
    }

    private static Header Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "host"u8) => Header.Host,
        6 when Ascii.EqualsIgnoreCase(name, "origin"u8) => Header.Origin,
        7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8) => Header.Upgrade,
        10 when Ascii.EqualsIgnoreCase(name, "connection"u8) => Header.Connection,
        13 when Ascii.EqualsIgnoreCase(name, "authorization"u8) => Header.Authorization,
        17 when Ascii.EqualsIgnoreCase(name, "sec-websocket-key"u8) => Header.Key,
        21 when Ascii.EqualsIgnoreCase(name, "sec-websocket-version"u8) => Header.Version,

        // A body, a subprotocol to select or an expectation to answer change the response: Kestrel's.
        6 when Ascii.EqualsIgnoreCase(name, "expect"u8) => Header.Unusual,
        14 when Ascii.EqualsIgnoreCase(name, "content-length"u8) => Header.Unusual,
        17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) => Header.Unusual,
        22 when Ascii.EqualsIgnoreCase(name, "sec-websocket-protocol"u8) => Header.Unusual,
        _ => Header.Other,
    };

    private static bool Assign(ReadOnlySpan<byte> value, out string? text)
    {
        text = Encoding.ASCII.GetString(value);
        return true;
    }

    /// <summary>The query's access_token, when it is the only one and needs no decoding.</summary>
    private static bool TryReadQueryToken(ReadOnlySpan<byte> query, out string? token)
    {
        token = null;
        foreach (var range in query.Split((byte)'&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf((byte)'=');
            var name = equals < 0 ? pair : pair[..equals];
            if (name.IndexOfAny("%+"u8) >= 0)
            {
                // An encoded name could decode to access_token.
                return false;
            }

            if (!Ascii.EqualsIgnoreCase(name, "access_token"u8))
            {
                continue;
            }

            var value = equals < 0 ? [] : pair[(equals + 1)..];
            if (token is not null || !IsTokenText(value))
            {
                return false;
            }

            token = Encoding.ASCII.GetString(value);
        }

        return true;
    }

    private static bool TryReadBearer(ReadOnlySpan<byte> value, out string? token)
    {
        token = null;
        if (value.Length <= "Bearer ".Length || !Ascii.EqualsIgnoreCase(value[.."Bearer ".Length], "Bearer "u8))
        {
            return false;
        }

        var text = value["Bearer ".Length..].Trim(" \t"u8);
        if (!IsTokenText(text))
        {
            return false;
        }

        token = Encoding.ASCII.GetString(text);
        return true;
    }

    /// <summary>A compact JWT's alphabet (base64url and dots), so no decoding question arises.</summary>
    private static bool IsTokenText(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasUpgradeToken(ReadOnlySpan<byte> value)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), "upgrade"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>16 random bytes in base64, as RFC 6455 requires.</summary>
    private static bool IsKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }

    private static bool IsHost(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var b in value)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)':' or (byte)'[' or (byte)']' or (byte)'_'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return !name.IsEmpty;
    }

    /// <summary>Visible ASCII, spaces and tabs only: anything else is the HTTP layer's to judge.</summary>
    private static bool IsFieldValue(ReadOnlySpan<byte> value)
    {
        foreach (var b in value)
        {
            if (b is < 0x20 and not (byte)'\t' || b >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
