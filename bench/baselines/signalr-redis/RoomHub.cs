using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace SignalRBaseline;

/// <summary>
/// The baseline the way SignalR's docs build chat: one hub, rooms as groups, the Redis backplane
/// carrying group sends between servers. Messages go to the whole group (the sender too, as on
/// our platform); signals to the others. Nothing is stored.
/// </summary>
[Authorize]
public sealed class RoomHub : Hub
{
    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

    public Task Leave(string room) => Groups.RemoveFromGroupAsync(Context.ConnectionId, room);

    public Task Send(string room, JsonElement body) => Clients.Group(room).SendAsync("message", room, Context.UserIdentifier, body);

    public Task Signal(string room, JsonElement body) => Clients.OthersInGroup(room).SendAsync("signal", room, Context.UserIdentifier, body);
}
