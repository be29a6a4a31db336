namespace Messaging.Client;

/// <summary>A stored message, delivered once and in seq order per room. <see cref="Body"/> is the raw JSON value.</summary>
public sealed record MessageReceived(string Room, long Seq, string From, string Body, long Ts, string? Cid) : ClientEvent;
