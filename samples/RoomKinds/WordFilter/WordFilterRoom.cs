using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Messaging.Rooms.Kinds;
using Microsoft.Extensions.Options;

namespace Messaging.Samples.WordFilter;

/// <summary>A chat room that masks the configured words in every message before it is stored.</summary>
public class WordFilterRoom(IOptions<WordFilterOptions> options) : RoomKind
{
    private readonly Regex _words = new(
        $@"\b({string.Join('|', options.Value.Words.Select(Regex.Escape))})\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        TimeSpan.FromMilliseconds(100));

    protected virtual WordFilterMode Mode => WordFilterMode.Mask;

    public override ValueTask<SendDecision> OnSendAsync(string user, string body)
    {
        var node = JsonNode.Parse(body);
        var text = node switch
        {
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            JsonObject obj when obj["text"] is JsonValue value && value.TryGetValue<string>(out var s) => s,
            _ => null,
        };
        if (text is null || !_words.IsMatch(text))
        {
            return new(SendDecision.Accept());
        }

        if (Mode == WordFilterMode.Refuse)
        {
            return new(SendDecision.Refuse("The message has a word this room does not allow.", "bad_request"));
        }

        var masked = _words.Replace(text, match => new string('*', match.Length));
        if (node is JsonObject message)
        {
            message["text"] = masked;
            return new(SendDecision.Transform(message.ToJsonString()));
        }

        return new(SendDecision.Transform(JsonSerializer.Serialize(masked)));
    }
}
