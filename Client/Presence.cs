using System.Collections.Generic;

namespace Messaging.Client;

/// <summary>How many users are online in a room, and (up to 1000 of) who.</summary>
public sealed record Presence(string Room, int Online, IReadOnlyList<string> Users);
