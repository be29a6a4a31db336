using System.Buffers.Binary;

namespace Messaging.WebFront.Connections;

/// <summary>
/// A server-to-client WebSocket text frame, header included, exactly as it goes on the wire.
/// Server frames are never masked, so one array serves every socket a room message goes to: the
/// front frames a message once and each socket's write is a plain copy of shared bytes.
/// </summary>
/// <remarks>Valid only while no WebSocket extension is negotiated (the front never enables compression).</remarks>
internal readonly record struct WireFrame(byte[] Bytes)
{
    private const byte FinText = 0x81;

    /// <summary>Frames one JSON payload as a single, final text frame.</summary>
    public static WireFrame Text(ReadOnlySpan<byte> payload)
    {
        var header = payload.Length switch
        {
            < 126 => 2,
            <= ushort.MaxValue => 4,
            _ => 10,
        };

        var bytes = GC.AllocateUninitializedArray<byte>(header + payload.Length);
        bytes[0] = FinText;
        switch (header)
        {
            case 2:
                bytes[1] = (byte)payload.Length;
                break;
            case 4:
                bytes[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)payload.Length);
                break;
            default:
                bytes[1] = 127;
                BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(2), (ulong)payload.Length);
                break;
        }

        payload.CopyTo(bytes.AsSpan(header));
        return new WireFrame(bytes);
    }
}
