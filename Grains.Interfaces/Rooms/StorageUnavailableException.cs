namespace Messaging.Rooms;

/// <summary>Storage could not be reached; the caller may retry later. Carries no internals.</summary>
[GenerateSerializer, Alias("messaging.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : base("Storage is unavailable.")
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
