using Messaging.Client;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>.NET client settings for tests: fast reconnects, patient requests.</summary>
public static class ClientOptions
{
    public static MessagingClientOptions For(string user, params Uri[] endpoints) => new()
    {
        Endpoints = endpoints,
        TokenProvider = _ => ValueTask.FromResult(Tokens.For(user)),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };
}
