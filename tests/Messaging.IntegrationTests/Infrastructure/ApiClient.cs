using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>Calls a front's HTTP API as one caller (a user token, a service token, an API key, or nobody).</summary>
public sealed class ApiClient
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly Uri _baseUri;
    private readonly string? _token;
    private readonly string? _apiKey;

    private ApiClient(Uri baseUri, string? token, string? apiKey)
    {
        _baseUri = baseUri;
        _token = token;
        _apiKey = apiKey;
    }

    public static ApiClient AsUser(PlatformProcess front, string user) => new(front.BaseUri, Tokens.For(user), null);

    public static ApiClient AsService(PlatformProcess front, string name, string scope) => new(front.BaseUri, Tokens.Service(name, scope), null);

    public static ApiClient WithKey(PlatformProcess front, string key) => new(front.BaseUri, null, key);

    public static ApiClient Anonymous(PlatformProcess front) => new(front.BaseUri, null, null);

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<ApiResponse> PostAsync(string path, object body, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body), headers);

    public Task<ApiResponse> PutAsync(string path, object? body = null) =>
        SendAsync(HttpMethod.Put, path, body is null ? null : JsonSerializer.Serialize(body));

    public Task<ApiResponse> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, JsonSerializer.Serialize(body));

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json = null, IReadOnlyDictionary<string, string>? headers = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseUri, path));
        if (_token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        if (_apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", _apiKey);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? body = text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiResponse(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta);
    }
}

/// <summary>An API answer: status, JSON body (if any), content type and Retry-After.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonElement? Body, string? ContentType, TimeSpan? RetryAfter)
{
    public JsonElement Json => Body ?? throw new InvalidOperationException($"No body with {Status}.");

    /// <summary>The problem's stable type slug (after the base URI).</summary>
    public string? ProblemType => Body is { ValueKind: JsonValueKind.Object } b && b.TryGetProperty("type", out var t) ? t.GetString()?.Split('/')[^1] : null;
}
