using System.Net.WebSockets;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Messaging.WebFront.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Hosting;

/// <summary>
/// Runs the front's own clients through connect, join and close on loopback before the front
/// reports ready (see <see cref="WarmUpOptions"/>). A fresh process spends most of its first
/// storm of clients compiling code; a warm-up that fails or times out only logs, and the front
/// reports ready all the same.
/// </summary>
internal sealed partial class FrontWarmUp(
    IServer server,
    IHostApplicationLifetime lifetime,
    SigningKeys keys,
    IOptions<AuthOptions> auth,
    IOptions<WarmUpOptions> options,
    IOptions<FrontHostingOptions> hosting,
    TimeProvider time,
    ILogger<FrontWarmUp> logger) : BackgroundService
{
    private const int ClientsAtOnce = 32;
    private static readonly TimeSpan SettlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan SettledFor = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan MaxSettle = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the warm-up ended (or was off): readiness waits for it.</summary>
    public bool IsDone => _done.Task.IsCompleted;

    private bool Enabled => options.Value.Enabled ?? hosting.Value.Mode == HostingMode.Cluster;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (Enabled)
            {
                await WarmUpAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    private async Task WarmUpAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(stoppingToken).ConfigureAwait(false);
        if (LoopbackSocketUrl() is not { } url)
        {
            LogNoPlainAddress();
            return;
        }

        var settings = options.Value;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        limit.CancelAfter(settings.Timeout);
        var started = time.GetTimestamp();
        var compiledBefore = JitInfo.GetCompiledMethodCount();

        // Users are new on every start (their entries are soft state); rooms are a fixed set.
        var users = $"_warmup-{Guid.NewGuid():N}"[..17];
        try
        {
            var rounds = new List<string>(settings.Rounds);
            for (var round = 0; round < settings.Rounds; round++)
            {
                var roundStarted = time.GetTimestamp();
                await RunRoundAsync(url, users, round, limit.Token).ConfigureAwait(false);
                var ran = time.GetElapsedTime(roundStarted);
                await CompilationSettledAsync(limit.Token).ConfigureAwait(false);
                rounds.Add(FormattableString.Invariant($"{ran.TotalMilliseconds:F0}+{(time.GetElapsedTime(roundStarted) - ran).TotalMilliseconds:F0}"));
            }

            LogWarm(settings.Rounds, settings.Connections, JitInfo.GetCompiledMethodCount() - compiledBefore, time.GetElapsedTime(started).TotalMilliseconds, string.Join(", ", rounds));
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            LogTimedOut(settings.Timeout.TotalSeconds);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // An optimisation must not take the front down: whatever went wrong only logs.
            LogFailed(ex);
        }
    }

    private async Task RunRoundAsync(Uri url, string users, int round, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        using var gate = new SemaphoreSlim(ClientsAtOnce);
        var clients = new List<Task>(settings.Connections);
        try
        {
            for (var i = 0; i < settings.Connections; i++)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                var token = DevTokenEndpoint.CreateToken(keys, auth.Value, $"{users}-{round}-{i}", now, now + settings.Timeout);
                clients.Add(ClientAsync(url, token, $"_warmup-{round}-{i % settings.Rooms}", gate, cancellationToken));
            }
        }
        finally
        {
            // Every started client releases the gate, so none may outlive it.
            await Task.WhenAll(clients).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(clients).ConfigureAwait(false);
    }

    private static async Task ClientAsync(Uri url, string token, string room, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            await socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            var join = Encoding.UTF8.GetBytes($$"""{"type":"join","id":1,"room":"{{room}}"}""");
            await socket.SendAsync(join, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            await JoinedAsync(socket, cancellationToken).ConfigureAwait(false);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Reads frames until the answer to the join: <c>joined</c>, or an error that ends the warm-up.</summary>
    private static async Task JoinedAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(Math.Min(count, buffer.Length - 1)), cancellationToken).ConfigureAwait(false);
                count += result.Count;
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new WarmUpRefusedException($"the socket was closed ({socket.CloseStatus}) before the join was answered");
                }
            }
            while (!result.EndOfMessage);

            if (count > buffer.Length)
            {
                continue; // A frame this large is not the join's answer.
            }

            switch (FrameType(buffer.AsSpan(0, count)))
            {
                case "joined":
                    return;
                case "error":
                    throw new WarmUpRefusedException("the join was answered " + Encoding.UTF8.GetString(buffer, 0, count));
            }
        }
    }

    private static string? FrameType(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("type"u8))
            {
                return reader.Read() ? reader.GetString() : null;
            }
        }

        return null;
    }

    /// <summary>Waits until this process has compiled next to nothing for a while: the optimised versions of hot code included.</summary>
    private async Task CompilationSettledAsync(CancellationToken cancellationToken)
    {
        var last = JitInfo.GetCompiledMethodCount();
        var started = time.GetTimestamp();
        var quietSince = started;
        while (time.GetElapsedTime(quietSince) < SettledFor && time.GetElapsedTime(started) < MaxSettle)
        {
            await Task.Delay(SettlePoll, time, cancellationToken).ConfigureAwait(false);
            var now = JitInfo.GetCompiledMethodCount();
            if (now - last > 2)
            {
                quietSince = time.GetTimestamp();
            }

            last = now;
        }
    }

    private async Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The socket endpoint on loopback at the first plain-HTTP address Kestrel listens on, or null when it listens on TLS only.</summary>
    private Uri? LoopbackSocketUrl()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (!address.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Kestrel reports wildcard bindings as written (http://+:80, http://[::]:80); the port is what matters.
            var port = address[(address.LastIndexOf(':') + 1)..].TrimEnd('/');
            if (int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return new Uri($"ws://127.0.0.1:{number}/ws");
            }
        }

        return null;
    }

    private sealed class WarmUpRefusedException(string message) : Exception(message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up done: {Rounds} rounds of {Connections} sockets, {Methods} methods compiled, {Milliseconds:F0} ms (per round: clients + settling ms: {RoundMilliseconds}).")]
    private partial void LogWarm(int rounds, int connections, long methods, double milliseconds, string roundMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up stopped after {Seconds} s (WarmUp:Timeout); the front reports ready without it.")]
    private partial void LogTimedOut(double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warm-up failed; the front reports ready without it.")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up skipped: no plain-HTTP address to reach the socket endpoint on.")]
    private partial void LogNoPlainAddress();
}
