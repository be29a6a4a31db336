using Messaging.Rooms;
using Xunit;

namespace Messaging.UnitTests;

public sealed class DirectRoomTests
{
    [Fact]
    public void The_room_name_sorts_the_two_ids()
    {
        Assert.Equal("dm:alice:bob", DirectRoom.For("bob", "alice"));
        Assert.Equal("dm:alice:bob", DirectRoom.For("alice", "bob"));
        Assert.Equal("dm:Bob:alice", DirectRoom.For("alice", "Bob"));
    }

    [Theory]
    [InlineData("bob:evil")]
    [InlineData("with space")]
    [InlineData("")]
    public void Ids_that_cannot_name_a_room_have_no_direct_room(string other) =>
        Assert.Null(DirectRoom.For("alice", other));

    [Fact]
    public void Only_the_two_users_may_access_a_direct_room()
    {
        Assert.True(DirectRoom.MayAccess("dm:alice:bob", "alice"));
        Assert.True(DirectRoom.MayAccess("dm:alice:bob", "bob"));
        Assert.False(DirectRoom.MayAccess("dm:alice:bob", "carol"));
        Assert.False(DirectRoom.MayAccess("dm:alice:bob:carol", "alice"));
        Assert.False(DirectRoom.MayAccess("dm:alice", "alice"));
        Assert.True(DirectRoom.MayAccess("lobby", "carol"));
    }

    [Fact]
    public void A_direct_room_parses_back_to_its_users()
    {
        Assert.True(DirectRoom.TryParse("dm:alice:bob", out var a, out var b));
        Assert.Equal(("alice", "bob"), (a, b));
        Assert.False(DirectRoom.TryParse("lobby", out _, out _));
    }
}
