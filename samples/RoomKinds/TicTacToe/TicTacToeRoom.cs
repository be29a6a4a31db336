using System.Text.Json;
using Messaging.Rooms.Kinds;

namespace Messaging.Samples.TicTacToe;

/// <summary>An authoritative tic-tac-toe room: the server decides whose turn it is and what a move does.</summary>
public sealed class TicTacToeRoom : RoomKind<TicTacToeState>
{
    private static readonly int[][] Lines =
    [
        [0, 1, 2], [3, 4, 5], [6, 7, 8], [0, 3, 6], [1, 4, 7], [2, 5, 8], [0, 4, 8], [2, 4, 6],
    ];

    public override async ValueTask<JoinDecision> OnJoinAsync(string user)
    {
        if (State.Players.Count < 2 && !State.Players.Contains(user))
        {
            State.Players.Add(user);
            await Room.SaveStateAsync().ConfigureAwait(true);
            Room.Broadcast(Snapshot());
        }

        return JoinDecision.Allow(Snapshot());
    }

    public override async ValueTask<CallResult> OnCallAsync(string user, string method, string args)
    {
        if (method == "state")
        {
            return CallResult.Ok(Snapshot());
        }

        if (method != "move")
        {
            return CallResult.Error("bad_request", "This room knows 'move' and 'state'.");
        }

        if (State.Winner is not null || State.Draw)
        {
            return CallResult.Error("bad_request", "The game is over.");
        }

        var player = State.Players.IndexOf(user);
        if (player < 0)
        {
            return CallResult.Error("forbidden", "Only the two players may move.");
        }

        if (State.Players.Count < 2)
        {
            return CallResult.Error("bad_request", "Waiting for a second player.");
        }

        if (player != State.Moves % 2)
        {
            return CallResult.Error("forbidden", "Not your turn.");
        }

        if (!TryReadSquare(args, out var square))
        {
            return CallResult.Error("bad_request", "Give {\"square\": 0-8}.");
        }

        if (State.Board[square] is not null)
        {
            return CallResult.Error("bad_request", "That square is taken.");
        }

        var mark = player == 0 ? "X" : "O";
        State.Board[square] = mark;
        State.Moves++;
        if (Lines.Any(line => line.All(i => State.Board[i] == mark)))
        {
            State.Winner = user;
        }
        else if (State.Moves == 9)
        {
            State.Draw = true;
        }

        // Saved before anyone hears of it: a crash after this point loses nothing that was announced.
        await Room.SaveStateAsync().ConfigureAwait(true);
        var snapshot = Snapshot();
        Room.Broadcast(snapshot);
        if (State.Winner is not null || State.Draw)
        {
            var text = State.Winner is { } winner ? $"{winner} ({mark}) wins!" : "It is a draw.";
            await Room.PublishAsync(JsonSerializer.Serialize(new { text })).ConfigureAwait(true);
        }

        return CallResult.Ok(snapshot);
    }

    private string Snapshot() => JsonSerializer.Serialize(new
    {
        board = State.Board,
        players = State.Players,
        turn = State.Players.Count == 2 && State.Winner is null && !State.Draw ? State.Players[State.Moves % 2] : null,
        winner = State.Winner,
        draw = State.Draw,
    });

    private static bool TryReadSquare(string args, out int square)
    {
        square = -1;
        try
        {
            using var document = JsonDocument.Parse(args);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("square", out var value)
                && value.TryGetInt32(out square)
                && square is >= 0 and <= 8;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
