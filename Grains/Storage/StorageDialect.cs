using System.Data.Common;
using System.Globalization;
using System.Text;
using Messaging.Rooms;

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

    /// <summary>
    /// One statement that stores all these rows, so it is atomic without a transaction. This one is
    /// portable: a multi-row VALUES whose text grows with the rows.
    /// </summary>
    public virtual DbCommand CreateInsert(DbConnection connection, IReadOnlyList<(string Room, StoredMessage Message)> rows)
    {
        var command = connection.CreateCommand();
        var sql = new StringBuilder("INSERT INTO messages (room, seq, sender, cid, body, ts) VALUES ");
        string? lastRoom = null;
        var rooms = 0;
        long? lastTs = null;
        var stamps = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var (room, message) = rows[i];

            // Rows of one room (and one commit time) share a parameter.
            if (!string.Equals(room, lastRoom, StringComparison.Ordinal))
            {
                command.AddParameter("@r" + (++rooms).ToString(CultureInfo.InvariantCulture), room);
                lastRoom = room;
            }

            if (message.Ts != lastTs)
            {
                command.AddParameter("@t" + (++stamps).ToString(CultureInfo.InvariantCulture), message.Ts);
                lastTs = message.Ts;
            }

            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "(" : ",(")
                .Append("@r").Append(rooms)
                .Append(",@s").Append(n).Append(",@f").Append(n).Append(",@c").Append(n).Append(",@b").Append(n)
                .Append(",@t").Append(stamps).Append(')');
            command.AddParameter("@s" + n, message.Seq);
            command.AddParameter("@f" + n, message.From);
            command.AddParameter("@c" + n, (object?)message.Cid ?? DBNull.Value);
            command.AddParameter("@b" + n, message.Body);
        }

        command.CommandText = sql.ToString();
        return command;
    }
}
