namespace Messaging.WebFront.Protocol;

/// <summary>
/// One parsed client frame. <see cref="Id"/> is the client's number as it was written (echoed
/// verbatim); <see cref="Body"/> is the raw JSON text of the body value.
/// </summary>
internal sealed record ClientCommand(CommandType Type, string? Id)
{
    public string? Room { get; init; }

    public string? Body { get; init; }

    public string? Cid { get; init; }

    public long? Since { get; init; }

    public long? Before { get; init; }

    public int? Limit { get; init; }

    /// <summary><c>dm</c>: the user the message is for.</summary>
    public string? To { get; init; }

    /// <summary><c>read</c>: the seq read up to.</summary>
    public long? Seq { get; init; }

    /// <summary><c>moderate</c>: what to do.</summary>
    public Messaging.Rooms.ModerationAction? Action { get; init; }

    /// <summary><c>moderate</c>: the user it is done to.</summary>
    public string? User { get; init; }

    /// <summary><c>moderate</c>: an optional reason, recorded with the action.</summary>
    public string? Reason { get; init; }

    /// <summary><c>call</c>: the room kind's method.</summary>
    public string? Method { get; init; }

    /// <summary><c>call</c>: its arguments, the raw JSON text (<c>null</c> when absent).</summary>
    public string? Args { get; init; }
}
