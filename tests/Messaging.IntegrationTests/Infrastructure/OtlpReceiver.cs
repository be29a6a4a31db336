using System.Collections.Concurrent;
using System.Net;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// A stand-in OpenTelemetry collector on loopback: accepts OTLP/HTTP protobuf exports and keeps
/// every span's trace id, span id, parent and name, read with a minimal protobuf walk.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = Ports.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (HttpListenerException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                // ExportTraceServiceRequest: resource_spans = 1 → scope_spans = 2 → spans = 2.
                foreach (var resource in Fields(body.ToArray(), 1))
                {
                    foreach (var scope in Fields(resource, 2))
                    {
                        foreach (var span in Fields(scope, 2))
                        {
                            _spans.Enqueue(new ReceivedSpan(
                                Convert.ToHexString(Fields(span, 1).FirstOrDefault() ?? []),
                                Convert.ToHexString(Fields(span, 2).FirstOrDefault() ?? []),
                                Convert.ToHexString(Fields(span, 4).FirstOrDefault() ?? []),
                                System.Text.Encoding.UTF8.GetString(Fields(span, 5).FirstOrDefault() ?? [])));
                        }
                    }
                }
            }

            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    /// <summary>The length-delimited values of field <paramref name="number"/> in one protobuf message; other fields are skipped.</summary>
    private static IEnumerable<byte[]> Fields(byte[] message, int number)
    {
        var i = 0;
        while (i < message.Length)
        {
            var key = ReadVarint(message, ref i);
            var wireType = (int)(key & 7);
            var field = (int)(key >> 3);
            switch (wireType)
            {
                case 0:
                    ReadVarint(message, ref i);
                    break;
                case 1:
                    i += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    if (field == number)
                    {
                        yield return message[i..(i + length)];
                    }

                    i += length;
                    break;
                case 5:
                    i += 4;
                    break;
                default:
                    throw new InvalidDataException($"unexpected protobuf wire type {wireType}");
            }
        }
    }

    private static ulong ReadVarint(byte[] data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
