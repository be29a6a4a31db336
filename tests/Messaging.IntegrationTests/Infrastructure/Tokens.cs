using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>Builds JWTs by hand, so tests can also forge the broken ones the server must refuse.</summary>
public static class Tokens
{
    public const string SigningKey = "integration-tests-signing-key-0123456789abcdef";

    /// <summary>A backend's token: a <c>scope</c> claim makes the caller a service.</summary>
    public static string Service(string name, string scope) => For(name, scope: scope);

    public static string For(string user, TimeSpan? lifetime = null, string key = SigningKey, string alg = "HS256", string? issuer = null, string? scope = null)
    {
        var now = DateTimeOffset.UtcNow;
        var payload = new Dictionary<string, object>
        {
            ["sub"] = user,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
            ["exp"] = now.Add(lifetime ?? TimeSpan.FromHours(1)).ToUnixTimeSeconds(),
        };
        if (issuer is not null)
        {
            payload["iss"] = issuer;
        }

        if (scope is not null)
        {
            payload["scope"] = scope;
        }

        return Sign(new Dictionary<string, object> { ["alg"] = alg, ["typ"] = "JWT" }, payload, key, alg);
    }

    public static string Unsigned(string user)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT" }));
        var body = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["sub"] = user, ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }));
        return $"{header}.{body}.";
    }

    private static string Sign(Dictionary<string, object> header, Dictionary<string, object> payload, string key, string alg)
    {
        var signingInput = $"{Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Encode(JsonSerializer.SerializeToUtf8Bytes(payload))}";
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = alg switch
        {
            "HS512" => HMACSHA512.HashData(keyBytes, data),
            _ => HMACSHA256.HashData(keyBytes, data),
        };
        return $"{signingInput}.{Encode(signature)}";
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
