using System;

namespace Messaging.Client;

/// <summary>The server refused a command: <see cref="Code"/> is the protocol's error code (<c>forbidden</c>, <c>not_found</c>, ...).</summary>
public sealed class MessagingException : Exception
{
    public MessagingException(string code, string message)
        : base(message) => Code = code;

    public MessagingException()
        : this("internal", "The command failed.")
    {
    }

    public MessagingException(string message)
        : this("internal", message)
    {
    }

    public MessagingException(string message, Exception innerException)
        : base(message, innerException) => Code = "internal";

    public string Code { get; }
}
