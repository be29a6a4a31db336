using System.Collections.Generic;

namespace Messaging.Client;

/// <summary>Users who came online or went offline in a room.</summary>
public sealed record PresenceChanged(string Room, IReadOnlyList<string> Joined, IReadOnlyList<string> Left) : ClientEvent;
