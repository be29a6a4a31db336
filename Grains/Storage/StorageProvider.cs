namespace Messaging.Storage;

/// <summary>Which database holds messages and grain state.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file: the standalone mode.</summary>
    Sqlite = 0,

    /// <summary>PostgreSQL: the cluster mode.</summary>
    Postgres = 1,
}
