namespace Messaging.Rooms.Kinds;

/// <summary>A kind's answer to a send: store it as sent, store a rewritten body, or refuse it (<c>forbidden</c> or <c>bad_request</c>).</summary>
public sealed record SendDecision(string? Body, string? Code, string? Message)
{
    public bool Refused => Code is not null;

    public static SendDecision Accept() => new(null, null, null);

    public static SendDecision Transform(string body) => new(body, null, null);

    public static SendDecision Refuse(string message, string code = "forbidden") => new(null, code, message);
}
