namespace Messaging.Rooms.Kinds;

/// <summary>The answer to a custom command: a JSON value, or an error with the protocol's code.</summary>
public sealed record CallResult(string? Value, string? Code, string? Message)
{
    public static CallResult Ok(string value = "null") => new(value, null, null);

    public static CallResult Error(string code, string message) => new(null, code, message);
}
