namespace Messaging.WebFront.Api;

/// <summary>The scopes a service token or API key may carry.</summary>
internal static class ApiScopes
{
    /// <summary>Create, change and delete rooms, manage members and roles, moderate, read any room.</summary>
    public const string RoomsAdmin = "rooms:admin";

    /// <summary>Publish messages as a named sender or as <c>system</c>.</summary>
    public const string MessagesPublish = "messages:publish";

    /// <summary>Read any room's history.</summary>
    public const string MessagesRead = "messages:read";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { RoomsAdmin, MessagesPublish, MessagesRead };
}
