namespace Messaging.WebFront.Protocol;

/// <summary>Either a command, or the error to answer (with the frame's id when one could be read).</summary>
internal readonly record struct ParseResult(ClientCommand? Command, string? ErrorId, string? ErrorMessage)
{
    public static ParseResult Ok(ClientCommand command) => new(command, null, null);

    public static ParseResult Fail(string? id, string message) => new(null, id, message);
}
