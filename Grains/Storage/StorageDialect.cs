using System.Data.Common;

namespace Messaging.Storage;

/// <summary>What differs between the databases the platform runs on; the SQL of the store itself is shared.</summary>
internal abstract class StorageDialect
{
    public abstract StorageProvider Provider { get; }

    /// <summary>The invariant Orleans' ADO.NET provider loads the driver by.</summary>
    public abstract string OrleansInvariant { get; }

    /// <summary>Schema steps in order; step <c>i</c> brings the schema to version <c>i + 1</c>. Append only.</summary>
    public abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>The statements Orleans' grain storage reads from its query table, by key.</summary>
    public abstract IReadOnlyDictionary<string, string> OrleansQueries { get; }

    /// <summary>The statement that records the current text of an Orleans query.</summary>
    public abstract string UpsertOrleansQuery { get; }

    public static StorageDialect For(StorageProvider provider) => provider switch
    {
        StorageProvider.Postgres => new PostgresDialect(),
        StorageProvider.Sqlite => new SqliteDialect(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "Unknown storage provider."),
    };

    /// <summary>
    /// The connection string as the platform uses it, defaults filled in. Orleans' grain storage
    /// gets the same string as the message store, so the two share one connection pool.
    /// </summary>
    public virtual string ConnectionStringFor(string connectionString) => connectionString;

    /// <summary>The message store's connections, for a string from <see cref="ConnectionStringFor"/>.</summary>
    public abstract DbDataSource CreateDataSource(string connectionString);

    /// <summary>Runs once per connection before migrating (outside any transaction).</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serialises migrations across processes that start at the same moment.</summary>
    public abstract Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>True when the exception is a unique-key violation (a seq or cid already taken).</summary>
    public abstract bool IsUniqueViolation(Exception exception);
}
