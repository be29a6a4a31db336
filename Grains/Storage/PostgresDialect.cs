using System.Data.Common;
using Messaging.Rooms;
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

    // One text for any number of rows, with positional parameters: the driver prepares it once per
    // connection and sends no SQL after that, and neither side parses it again. The multi-row
    // VALUES had a text per row count and a rewrite of its named parameters on every commit.
    private const string InsertRows =
        "INSERT INTO messages (room, seq, sender, cid, body, ts) " +
        "SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::varchar[], $4::varchar[], $5::text[], $6::bigint[])";

    public override DbCommand CreateInsert(DbConnection connection, IReadOnlyList<(string Room, StoredMessage Message)> rows)
    {
        var rooms = new string[rows.Count];
        var seqs = new long[rows.Count];
        var senders = new string[rows.Count];
        var cids = new string?[rows.Count];
        var bodies = new string[rows.Count];
        var stamps = new long[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (room, message) = rows[i];
            rooms[i] = room;
            seqs[i] = message.Seq;
            senders[i] = message.From;
            cids[i] = message.Cid;
            bodies[i] = message.Body;
            stamps[i] = message.Ts;
        }

        var command = (NpgsqlCommand)connection.CreateCommand();
        command.CommandText = InsertRows;
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = rooms });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = seqs });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = senders });
        command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = cids });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = bodies });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = stamps });
        return command;
    }

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
