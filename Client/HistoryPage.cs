using System.Collections.Generic;

namespace Messaging.Client;

/// <summary>A page of a room's history, ascending.</summary>
public sealed record HistoryPage(string Room, IReadOnlyList<MessageReceived> Messages);
