using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Messaging.WebFront.Api;

/// <summary>Reads request bodies within the configured size, and turns stored JSON text back into values for responses.</summary>
internal static class ApiJson
{
    /// <summary>The body as <typeparamref name="T"/>, or the problem to answer: 415, 413 or 400, with nothing read past the limit.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, int maxBytes, JsonSerializerOptions options)
        where T : class
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.UnsupportedMediaType());
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, ApiProblems.TooLarge(maxBytes));
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        try
        {
            var count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (count > maxBytes)
                    {
                        return (null, ApiProblems.TooLarge(maxBytes));
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read;
                try
                {
                    read = await request.Body.ReadAsync(buffer.AsMemory(count), context.RequestAborted).ConfigureAwait(false);
                }
                catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
                {
                    return (null, ApiProblems.TooLarge(maxBytes));
                }

                if (read == 0)
                {
                    break;
                }

                count += read;
                if (count > maxBytes)
                {
                    return (null, ApiProblems.TooLarge(maxBytes));
                }
            }

            if (count == 0)
            {
                return (null, ApiProblems.BadRequest("A JSON body is required."));
            }

            try
            {
                var value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, count), options);
                return value is null ? (null, ApiProblems.BadRequest("The body must be a JSON object.")) : (value, null);
            }
            catch (JsonException ex)
            {
                var where = string.IsNullOrEmpty(ex.Path) ? string.Empty : $" (at {ex.Path})";
                return (null, ApiProblems.BadRequest($"The body is not valid JSON for this request{where}."));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stored JSON text as a value to write back; null for none.</summary>
    public static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
