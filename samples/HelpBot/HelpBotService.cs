using System.Text.Json;
using Messaging.Events;
using Messaging.Rooms;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;

namespace Messaging.Samples.HelpBot;

/// <summary>Reads room events from the stream and answers <c>!help</c>.</summary>
internal sealed partial class HelpBotService(IClusterClient cluster, IOptions<HelpBotOptions> options, ILogger<HelpBotService> logger) : BackgroundService
{
    private const string Help = "Commands: !help shows this. Be kind; moderators can mute, kick and ban.";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var provider = cluster.GetStreamProvider(RoomEvents.ProviderName);
        string[] rooms = options.Value.Rooms is { Length: > 0 } configured ? configured : ["lobby"];
        foreach (var room in rooms)
        {
            var stream = provider.GetStream<RoomEvent>(StreamId.Create(RoomEvents.Namespace, room));
            await stream.SubscribeAsync((value, _) => OnEventAsync(value)).ConfigureAwait(false);
            LogSubscribed(room);
        }

        LogReady(rooms.Length);
    }

    private async Task OnEventAsync(RoomEvent value)
    {
        switch (value.Kind)
        {
            case RoomEventKind.Messages:
                foreach (var message in value.Messages ?? [])
                {
                    if (message.From != options.Value.Name && IsHelpRequest(message.Body))
                    {
                        // The cid ties the answer to the question: a redelivered event is answered once.
                        var answer = new SendRequest(options.Value.Name, JsonSerializer.Serialize(new { text = Help }), $"help-{message.Seq}");
                        var result = await cluster.GetGrain<IRoomAdminGrain>(value.Room).PublishAsync(answer).ConfigureAwait(false);
                        LogAnswered(value.Room, message.From, result.Seq);
                    }
                }

                break;
            case RoomEventKind.Moderated:
                LogModeration(value.Room, value.Moderation?.Actor, value.Moderation is { } m ? ModerationActions.Name(m.Action) : null, value.User);
                break;
            default:
                LogPresence(value.Room, value.User, value.Kind);
                break;
        }
    }

    private static bool IsHelpRequest(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var text = root.ValueKind switch
        {
            JsonValueKind.String => root.GetString(),
            JsonValueKind.Object when root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String => t.GetString(),
            _ => null,
        };
        return text?.TrimStart().StartsWith("!help", StringComparison.OrdinalIgnoreCase) == true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to room-events of {Room}.")]
    private partial void LogSubscribed(string room);

    [LoggerMessage(Level = LogLevel.Information, Message = "HelpBot ready in {Count} rooms.")]
    private partial void LogReady(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered {User} in {Room} (seq {Seq}).")]
    private partial void LogAnswered(string room, string user, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Room}: {Actor} did {Action} to {User}.")]
    private partial void LogModeration(string room, string? actor, string? action, string? user);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Room}: {User} {Kind}.")]
    private partial void LogPresence(string room, string? user, RoomEventKind kind);
}
