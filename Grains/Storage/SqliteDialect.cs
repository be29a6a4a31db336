using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Messaging.Storage;

internal sealed class SqliteDialect : StorageDialect
{
    private const int SqliteConstraint = 19;

    public override StorageProvider Provider => StorageProvider.Sqlite;

    // Orleans maps this invariant to Microsoft.Data.Sqlite; "Microsoft.Data.Sqlite" itself is not a known invariant.
    public override string OrleansInvariant => "System.Data.SQLite";

    public override IReadOnlyList<string> Migrations => SqliteSchema.Migrations;

    public override IReadOnlyDictionary<string, string> OrleansQueries => SqliteSchema.OrleansQueries;

    public override string UpsertOrleansQuery =>
        "INSERT INTO orleansquery (querykey, querytext) VALUES (@key, @text) " +
        "ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext";

    public override DbDataSource CreateDataSource(string connectionString) =>
        SqliteFactory.Instance.CreateDataSource(connectionString);

    public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // WAL lets readers (history) run beside the writer; it is a property of the file, so once is enough.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the write lock is taken at BEGIN.
    public override Task LockSchemaAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint };
}
