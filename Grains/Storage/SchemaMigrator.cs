using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messaging.Storage;

/// <summary>
/// Brings the database to the current schema before any grain storage opens: creates the
/// message tables and the Orleans ADO.NET tables, then records the Orleans queries. Idempotent,
/// and serialised across silos that start together (an advisory lock on PostgreSQL).
/// </summary>
internal sealed partial class SchemaMigrator(
    DbDataSource dataSource,
    StorageDialect dialect,
    IOptions<MessagingStorageOptions> options,
    TimeProvider timeProvider,
    ILogger<SchemaMigrator> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const string VersionTable =
        "CREATE TABLE IF NOT EXISTS messaging_schema (version integer PRIMARY KEY, applied_at varchar(40) NOT NULL)";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrator), ServiceLifecycleStage.RuntimeInitialize, MigrateWithRetryAsync);

    public async Task MigrateWithRetryAsync(CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.Value.StartupTimeout;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or System.Net.Sockets.SocketException && timeProvider.GetUtcNow() < deadline)
            {
                LogDatabaseNotReady(ex.Message, delay);
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await dialect.PrepareAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await dialect.LockSchemaAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, VersionTable, cancellationToken).ConfigureAwait(false);

        var current = await GetVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        var migrations = dialect.Migrations;
        for (var version = current + 1; version <= migrations.Count; version++)
        {
            await ExecuteAsync(connection, transaction, migrations[version - 1], cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO messaging_schema (version, applied_at) VALUES (@version, @at)";
            record.AddParameter("@version", version);
            record.AddParameter("@at", timeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            LogApplied(dialect.Provider, version);
        }

        // The query texts are code, so every start records the ones this build runs with.
        foreach (var (key, text) in dialect.OrleansQueries)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = dialect.UpsertOrleansQuery;
            upsert.AddParameter("@key", key);
            upsert.AddParameter("@text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        LogSchemaReady(dialect.Provider, migrations.Count);
    }

    private static async Task<int> GetVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM messaging_schema";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not ready ({Reason}); retrying in {Delay}.")]
    private partial void LogDatabaseNotReady(string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Provider} schema version {Version}.")]
    private partial void LogApplied(StorageProvider provider, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} schema is at version {Version}.")]
    private partial void LogSchemaReady(StorageProvider provider, int version);
}
