using System.Text;
using Messaging.WebFront.Protocol;
using Xunit;

namespace Messaging.UnitTests;

public sealed class FrameParserTests
{
    private static ParseResult Parse(string json) => FrameParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Send_keeps_the_body_as_raw_json_and_the_id_verbatim()
    {
        var result = Parse("""{"type":"send","id":7,"room":"lobby","body":{"text":"hi","n":[1,2.50]},"cid":"c-1"}""");

        var command = Assert.IsType<ClientCommand>(result.Command);
        Assert.Equal(CommandType.Send, command.Type);
        Assert.Equal("7", command.Id);
        Assert.Equal("lobby", command.Room);
        Assert.Equal("""{"text":"hi","n":[1,2.50]}""", command.Body);
        Assert.Equal("c-1", command.Cid);
    }

    [Theory]
    [InlineData("[1,2]", "A frame must be a JSON object.")]
    [InlineData("\"hello\"", "A frame must be a JSON object.")]
    [InlineData("42", "A frame must be a JSON object.")]
    [InlineData("{\"type\":\"send\"", "The frame is not valid JSON.")]
    [InlineData("{} {}", "The frame is not valid JSON.")]
    [InlineData("{\"id\":1}", "The field 'type' is required.")]
    [InlineData("{\"type\":\"dance\"}", "Unknown frame type.")]
    [InlineData("{\"type\":7}", "'type' must be a string.")]
    [InlineData("{\"type\":\"ping\",\"id\":\"x\"}", "'id' must be a number.")]
    public void Malformed_frames_are_refused_with_a_reason(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Command);
        Assert.Equal(reason, result.ErrorMessage);
    }

    [Fact]
    public void The_id_is_echoed_even_when_the_command_is_invalid()
    {
        var result = Parse("""{"id":12,"type":"join","room":"bad room"}""");

        Assert.Null(result.Command);
        Assert.Equal("12", result.ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/room")]
    [InlineData("ünicode")]
    public void Invalid_room_names_are_refused(string room)
    {
        var result = Parse($$"""{"type":"join","room":"{{room}}"}""");

        Assert.Null(result.Command);
        Assert.StartsWith("'room' must be", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Room_names_may_be_128_characters_but_not_129()
    {
        Assert.NotNull(Parse($$"""{"type":"join","room":"{{new string('a', 128)}}"}""").Command);
        Assert.Null(Parse($$"""{"type":"join","room":"{{new string('a', 129)}}"}""").Command);
    }

    [Fact]
    public void Room_names_use_the_whole_allowed_alphabet()
    {
        Assert.NotNull(Parse("""{"type":"join","room":"Az09_.:-"}""").Command);
    }

    [Fact]
    public void Send_requires_a_body_and_a_sane_cid()
    {
        Assert.Equal("The field 'body' is required.", Parse("""{"type":"send","room":"r"}""").ErrorMessage);
        Assert.Equal("'cid' must be 1 to 128 characters.", Parse("""{"type":"send","room":"r","body":1,"cid":""}""").ErrorMessage);
        Assert.NotNull(Parse($$"""{"type":"send","room":"r","body":null,"cid":"{{new string('c', 128)}}"}""").Command);
        Assert.Null(Parse($$"""{"type":"send","room":"r","body":1,"cid":"{{new string('c', 129)}}"}""").Command);
    }

    [Fact]
    public void Body_may_be_any_json_value()
    {
        foreach (var body in new[] { "null", "true", "1.5e3", "\"text\"", "[1,{\"a\":[]}]" })
        {
            Assert.Equal(body, Parse($$"""{"type":"send","room":"r","body":{{body}}}""").Command?.Body);
        }
    }

    [Theory]
    [InlineData("""{"type":"history","room":"r","limit":0}""", "'limit' must be between 1 and 100.")]
    [InlineData("""{"type":"history","room":"r","limit":101}""", "'limit' must be between 1 and 100.")]
    [InlineData("""{"type":"history","room":"r","before":0}""", "'before' must be a seq (1 or more).")]
    [InlineData("""{"type":"history","room":"r","limit":1.5}""", "'limit' must be an integer.")]
    [InlineData("""{"type":"join","room":"r","since":-1}""", "'since' must be a seq (0 or more).")]
    public void Paging_fields_are_range_checked(string json, string reason) =>
        Assert.Equal(reason, Parse(json).ErrorMessage);

    [Fact]
    public void History_limit_defaults_to_50()
    {
        Assert.Equal(50, Parse("""{"type":"history","room":"r"}""").Command?.Limit);
        Assert.Equal(100, Parse("""{"type":"history","room":"r","limit":100}""").Command?.Limit);
    }

    [Fact]
    public void Unknown_fields_are_ignored_for_forward_compatibility()
    {
        var command = Parse("""{"type":"ping","id":1,"future":{"x":[1,2]}}""").Command;

        Assert.Equal(CommandType.Ping, command?.Type);
    }

    [Fact]
    public void Moderate_carries_its_action_user_and_reason()
    {
        var command = Assert.IsType<ClientCommand>(Parse("""{"type":"moderate","id":3,"room":"r","action":"ban","user":"bob","reason":"spam"}""").Command);

        Assert.Equal(CommandType.Moderate, command.Type);
        Assert.Equal(Messaging.Rooms.ModerationAction.Ban, command.Action);
        Assert.Equal("bob", command.User);
        Assert.Equal("spam", command.Reason);
    }

    [Theory]
    [InlineData("""{"type":"moderate","room":"r","action":"smite","user":"bob"}""", "'action' must be one of kick, ban, unban, mute, unmute.")]
    [InlineData("""{"type":"moderate","room":"r","user":"bob"}""", "'action' must be one of kick, ban, unban, mute, unmute.")]
    [InlineData("""{"type":"moderate","room":"r","action":"Kick","user":"bob"}""", "'action' must be one of kick, ban, unban, mute, unmute.")]
    [InlineData("""{"type":"moderate","room":"r","action":"kick"}""", "'user' must be a user id of 1 to 256 characters.")]
    [InlineData("""{"type":"moderate","room":"r","action":"kick","user":""}""", "'user' must be a user id of 1 to 256 characters.")]
    [InlineData("""{"type":"moderate","action":"kick","user":"bob"}""", "The field 'room' is required.")]
    public void Moderate_without_a_known_action_or_a_user_is_refused(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Command);
        Assert.Equal(reason, result.ErrorMessage);
    }

    [Fact]
    public void A_moderation_reason_past_its_limit_is_refused()
    {
        var reason = new string('r', FrameParser.MaxReasonLength + 1);

        var result = Parse($$"""{"type":"moderate","room":"r","action":"mute","user":"bob","reason":"{{reason}}"}""");

        Assert.Null(result.Command);
        Assert.Equal($"'reason' must be at most {FrameParser.MaxReasonLength} characters.", result.ErrorMessage);
    }
}
