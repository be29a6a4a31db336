using System.Text;
using System.Text.Json;
using Messaging.Rooms;
using Messaging.WebFront.Protocol;
using Xunit;

namespace Messaging.UnitTests;

public sealed class ServerFramesTests
{
    [Fact]
    public void A_message_frame_carries_the_body_unchanged_and_the_cid_when_given()
    {
        var frame = ServerFrames.Message("lobby", new StoredMessage(3, "alice", """{"t":"<b>hi</b>"}""", 1700000000000, "c1"));

        using var json = JsonDocument.Parse(frame);
        var root = json.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        Assert.Equal("lobby", root.GetProperty("room").GetString());
        Assert.Equal(3, root.GetProperty("seq").GetInt64());
        Assert.Equal("alice", root.GetProperty("from").GetString());
        Assert.Equal("<b>hi</b>", root.GetProperty("body").GetProperty("t").GetString());
        Assert.Equal(1700000000000, root.GetProperty("ts").GetInt64());
        Assert.Equal("c1", root.GetProperty("cid").GetString());
        Assert.Contains("\"body\":{\"t\":\"<b>hi</b>\"}", Encoding.UTF8.GetString(frame), StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_without_cid_has_no_cid_field()
    {
        using var json = JsonDocument.Parse(ServerFrames.Message("r", new StoredMessage(1, "a", "1", 0, null)));

        Assert.False(json.RootElement.TryGetProperty("cid", out _));
    }

    [Fact]
    public void Answers_echo_the_client_id_as_written()
    {
        using var json = JsonDocument.Parse(ServerFrames.Ack("1.5", "r", 9));

        Assert.Equal(1.5, json.RootElement.GetProperty("id").GetDouble());
        Assert.Equal(9, json.RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public void Error_text_from_the_server_is_escaped_json()
    {
        using var json = JsonDocument.Parse(ServerFrames.Error(null, ErrorCodes.BadRequest, "quote \" and <tag>"));

        Assert.Equal("quote \" and <tag>", json.RootElement.GetProperty("message").GetString());
        Assert.False(json.RootElement.TryGetProperty("id", out _));
    }

    [Fact]
    public void Welcome_states_every_limit_as_a_number()
    {
        using var json = JsonDocument.Parse(ServerFrames.Welcome("alice", "c1", new ProtocolLimits()));
        var limits = json.RootElement.GetProperty("limits");

        Assert.Equal(65536, limits.GetProperty("frameBytes").GetInt32());
        Assert.Equal(50, limits.GetProperty("commandsPerSecond").GetInt32());
        Assert.Equal(100, limits.GetProperty("commandBurst").GetInt32());
        Assert.Equal(200, limits.GetProperty("roomsPerConnection").GetInt32());
        Assert.Equal(1048576, limits.GetProperty("queueBytes").GetInt32());
        Assert.Equal(60, limits.GetProperty("idleTimeoutSeconds").GetInt32());
    }
}
