using System.Data.Common;
using Npgsql;

namespace Messaging.Storage;

internal sealed class PostgresDialect : StorageDialect
{
    // An arbitrary constant shared by every silo of every version: the advisory lock that
    // makes concurrent start-ups migrate one after another.
    private const long SchemaLockKey = 0x6D73_6731;

    public override StorageProvider Provider => StorageProvider.Postgres;

    public override string OrleansInvariant => "Npgsql";

    public override IReadOnlyList<string> Migrations => PostgresSchema.Migrations;

    public override IReadOnlyDictionary<string, string> OrleansQueries => PostgresSchema.OrleansQueries;

    public override string UpsertOrleansQuery =>
        "INSERT INTO orleansquery (querykey, querytext) VALUES (@key, @text) " +
        "ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext";

    public override string ConnectionStringFor(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);

        // Fail fast when the database is down, so a send answers `unavailable` in seconds,
        // unless the operator chose otherwise.
        if (!connectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.Timeout = 5;
            builder.CommandTimeout = 15;
        }

        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
        }

        // The store never changes session state, so a pooled connection needs no reset; resetting
        // cost PostgreSQL a statement per commit.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    // Not NpgsqlDataSource.Create: that opens a pool of its own, beside the global one Orleans'
    // grain storage draws from, and each pool keeps up to Maximum Pool Size backends (32 in all
    // at the default 16, where 16 are what the two cores use).
    public override DbDataSource CreateDataSource(string connectionString) => new SharedPoolDataSource(connectionString);

    public override async Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
