namespace Messaging.Samples.TicTacToe;

/// <summary>A game: the board (squares 0-8, "X", "O" or null), the two players, whose turn, and how it ended.</summary>
public sealed class TicTacToeState
{
    public string?[] Board { get; set; } = new string?[9];

    public List<string> Players { get; set; } = [];

    /// <summary>Moves made so far; X moves when it is even.</summary>
    public int Moves { get; set; }

    public string? Winner { get; set; }

    public bool Draw { get; set; }
}
