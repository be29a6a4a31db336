using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Messaging.Client;

/// <summary>Where and how a <see cref="MessagingClient"/> connects.</summary>
public sealed class MessagingClientOptions
{
    /// <summary>Socket endpoints (<c>ws://host/ws</c>), tried in turn: a client whose front goes away moves to the next.</summary>
    public IReadOnlyList<Uri> Endpoints { get; set; } = Array.Empty<Uri>();

    /// <summary>Returns a current JWT; called before every connection, so a refreshed token is picked up.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>How long a command waits for its answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the client pings an otherwise quiet connection (the server closes idle ones after 60 s).</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The first and the longest wait between reconnection attempts; each wait is jittered.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection is renewed with a fresh token this long before the token expires.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many incoming events wait for the reader of <see cref="MessagingClient.Events"/>; past it the receive loop waits, so nothing is dropped.</summary>
    public int EventBuffer { get; set; } = 10_000;
}
