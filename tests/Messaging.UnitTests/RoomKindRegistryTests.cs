using Messaging.Rooms.Kinds;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Messaging.UnitTests;

public sealed class RoomKindRegistryTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    [Fact]
    public void The_longest_matching_prefix_wins_and_other_rooms_are_plain()
    {
        var registry = new RoomKindRegistry([new RoomKindRegistration("game:", typeof(GameRoom)), new RoomKindRegistration("game:chess:", typeof(ChessRoom))]);

        Assert.IsType<ChessRoom>(registry.Create("game:chess:1", Services));
        Assert.IsType<GameRoom>(registry.Create("game:go:1", Services));
        Assert.Null(registry.Create("lobby", Services));
        Assert.Null(registry.Create("gamex", Services));
    }

    [Fact]
    public void Each_room_activation_gets_its_own_instance()
    {
        var registry = new RoomKindRegistry([new RoomKindRegistration("game:", typeof(GameRoom))]);

        Assert.NotSame(registry.Create("game:1", Services), registry.Create("game:1", Services));
    }

    [Fact]
    public void An_empty_registry_says_so() => Assert.True(new RoomKindRegistry([]).IsEmpty);

    [Fact]
    public void State_round_trips_through_json_and_starts_fresh_without_any()
    {
        var room = new ChessRoom();
        room.State.Moves = 12;
        var json = room.SaveState();

        var restored = new ChessRoom();
        restored.LoadState(json);
        var fresh = new ChessRoom();
        fresh.LoadState(null);

        Assert.Equal(12, restored.State.Moves);
        Assert.Equal(0, fresh.State.Moves);
    }

    [Fact]
    public void Decisions_say_what_they_are()
    {
        Assert.False(SendDecision.Accept().Refused);
        Assert.Equal("\"x\"", SendDecision.Transform("\"x\"").Body);
        Assert.True(SendDecision.Refuse("no").Refused);
        Assert.Equal("forbidden", SendDecision.Refuse("no").Code);
        Assert.False(JoinDecision.Refuse("full").Allowed);
        Assert.Equal("null", CallResult.Ok().Value);
    }

    private sealed class GameRoom : RoomKind;

    private sealed class ChessState
    {
        public int Moves { get; set; }
    }

    private sealed class ChessRoom : RoomKind<ChessState>;
}
