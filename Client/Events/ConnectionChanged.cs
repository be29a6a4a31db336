namespace Messaging.Client;

/// <summary>The connection went up or down; <see cref="Endpoint"/> is where it is (or was) connected.</summary>
public sealed record ConnectionChanged(ConnectionState State, System.Uri? Endpoint, string? Reason) : ClientEvent;
