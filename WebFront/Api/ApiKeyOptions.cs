namespace Messaging.WebFront.Api;

/// <summary>One API key: the service it names (recorded as the actor of what it does), the secret, and its scopes.</summary>
public sealed class ApiKeyOptions
{
    public string Name { get; set; } = string.Empty;

    public string Key { get; set; } = string.Empty;

    public string[] Scopes { get; set; } = [];
}
