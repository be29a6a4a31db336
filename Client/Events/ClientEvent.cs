namespace Messaging.Client;

/// <summary>Something the server told this client; switch on the derived type.</summary>
public abstract record ClientEvent;
