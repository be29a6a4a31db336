namespace Messaging.Client;

public enum ConnectionState
{
    Connecting,
    Connected,
    Reconnecting,
    Closed,
}
