using Microsoft.AspNetCore.SignalR;

namespace SignalRBaseline;

/// <summary>The user id is the token's subject, as on our platform.</summary>
public sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) => connection.User?.FindFirst("sub")?.Value;
}
