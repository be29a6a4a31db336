namespace Messaging.Client;

/// <summary>An ephemeral signal (typing, positions); not stored, may be dropped when the client is slow.</summary>
public sealed record SignalReceived(string Room, string From, string Body) : ClientEvent;
