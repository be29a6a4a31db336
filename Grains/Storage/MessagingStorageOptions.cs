namespace Messaging.Storage;

/// <summary>Where messages and grain state live.</summary>
public sealed class MessagingStorageOptions
{
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>An ADO.NET connection string for <see cref="Provider"/>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>How long start-up keeps retrying an unreachable database before it gives up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The configuration key that <see cref="ConnectionString"/> came from, named in errors.</summary>
    public string ConnectionStringSetting { get; set; } = "ConnectionStrings:Postgres";
}
