using System.Data.Common;
using System.Text;
using System.Diagnostics;
using Messaging.Rooms;
using Messaging.Telemetry;

namespace Messaging.Storage;

/// <summary>
/// The message store on any ADO.NET database the dialects know: the SQL is portable
/// (named parameters, multi-row VALUES, LIMIT), only error codes differ.
/// </summary>
internal sealed class SqlMessageStore(DbDataSource dataSource, StorageDialect dialect, StorageMetrics metrics) : IMessageStore
{
    private const string Columns = "seq, sender, body, ts, cid";

    public async Task<long> GetLastSeqAsync(string room, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT seq FROM messages WHERE room = @room ORDER BY seq DESC LIMIT 1");
        command.AddParameter("@room", room);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<CommitOutcome> CommitAsync(string room, long lastSeq, IReadOnlyList<SendRequest> batch, long timestamp, CancellationToken cancellationToken) =>
        (await CommitManyAsync([new RoomCommit(room, lastSeq, batch, timestamp)], cancellationToken).ConfigureAwait(false))[0];

    public async Task<CommitOutcome[]> CommitManyAsync(IReadOnlyList<RoomCommit> commits, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One multi-row INSERT is atomic on its own: it stores every row or, on a taken seq or
        // cid, none. So there is no explicit transaction, which would cost a BEGIN and a COMMIT
        // round trip per commit. A repeated cid is rare (a retry after a lost ack), so the first
        // attempt assumes there is none and the unique index on (room, sender, cid) is the check:
        // only when it refuses the INSERT are the cids looked up and the rooms numbered again.
        // (A taken seq refuses it too; then the look-up finds nothing new and the second INSERT
        // fails the same way, for the caller to handle as before.)
        // Numbering records every cid it sees, so known is null after it only when none came.
        Dictionary<CidKey, long>? known = null;
        var (outcomes, rows) = NumberAll(commits, ref known);
        try
        {
            await InsertAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (known is not null && dialect.IsUniqueViolation(ex))
        {
            known = await FindCidsAsync(connection, commits, cancellationToken).ConfigureAwait(false);
            (outcomes, rows) = NumberAll(commits, ref known);
            await InsertAsync(connection, rows, cancellationToken).ConfigureAwait(false);
        }

        metrics.Committed(started, commits.Count, rows.Count);
        return outcomes;
    }

    private static (CommitOutcome[] Outcomes, List<(string Room, StoredMessage Message)> Rows) NumberAll(
        IReadOnlyList<RoomCommit> commits, ref Dictionary<CidKey, long>? known)
    {
        var outcomes = new CommitOutcome[commits.Count];
        var rows = new List<(string Room, StoredMessage Message)>();
        for (var c = 0; c < commits.Count; c++)
        {
            var commit = commits[c];
            outcomes[c] = Number(commit, ref known);
            foreach (var message in outcomes[c].Stored)
            {
                rows.Add((commit.Room, message));
            }
        }

        return (outcomes, rows);
    }

    /// <summary>Numbers a room's new messages from its last seq; cid repeats answer their first seq.</summary>
    private static CommitOutcome Number(RoomCommit commit, ref Dictionary<CidKey, long>? known)
    {
        var batch = commit.Batch;
        var seqs = new long[batch.Count];
        var duplicates = new bool[batch.Count];
        var stored = new List<StoredMessage>(batch.Count);
        var next = commit.LastSeq;
        for (var i = 0; i < batch.Count; i++)
        {
            var request = batch[i];
            if (request.Cid is not null && known is not null && known.TryGetValue(new CidKey(commit.Room, request.From, request.Cid), out var firstSeq))
            {
                seqs[i] = firstSeq;
                duplicates[i] = true;
                continue;
            }

            seqs[i] = ++next;
            stored.Add(new StoredMessage(next, request.From, request.Body, commit.Timestamp, request.Cid));
            if (request.Cid is not null)
            {
                // A repeat inside the same batch answers the seq just assigned.
                known ??= [];
                known[new CidKey(commit.Room, request.From, request.Cid)] = next;
            }
        }

        return new CommitOutcome(next, seqs, duplicates, stored);
    }

    public async Task<IReadOnlyList<StoredMessage>> ReadRangeAsync(string room, long afterSeq, long untilSeq, int max, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM messages WHERE room = @room AND seq > @after AND seq <= @until ORDER BY seq LIMIT @max");
        command.AddParameter("@room", room);
        command.AddParameter("@after", afterSeq);
        command.AddParameter("@until", untilSeq);
        command.AddParameter("@max", max);
        return await ReadMessagesAsync(command, descending: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM messages WHERE room = @room AND seq < @before ORDER BY seq DESC LIMIT @limit");
        command.AddParameter("@room", room);
        command.AddParameter("@before", beforeSeq);
        command.AddParameter("@limit", limit);
        return await ReadMessagesAsync(command, descending: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PruneAsync(long cutoff, int max, CancellationToken cancellationToken)
    {
        // Row values and a correlated EXISTS on the primary key: the same statement on both databases.
        await using var command = dataSource.CreateCommand(
            "DELETE FROM messages WHERE (room, seq) IN (" +
            "SELECT m.room, m.seq FROM messages m WHERE m.ts < @cutoff " +
            "AND EXISTS (SELECT 1 FROM messages n WHERE n.room = m.room AND n.seq > m.seq) LIMIT @max)");
        command.AddParameter("@cutoff", cutoff);
        command.AddParameter("@max", max);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DbException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public bool IsConflict(Exception exception) => dialect.IsUniqueViolation(exception);

    /// <summary>
    /// The first seqs of the cids these commits carry, once an INSERT was refused: for every room
    /// of a shared transaction in one statement, by the full key of the unique index, so each is an
    /// index probe however many messages a room holds.
    /// </summary>
    private static async Task<Dictionary<CidKey, long>?> FindCidsAsync(
        DbConnection connection, IReadOnlyList<RoomCommit> commits, CancellationToken cancellationToken)
    {
        HashSet<CidKey>? keys = null;
        foreach (var commit in commits)
        {
            foreach (var request in commit.Batch)
            {
                if (request.Cid is not null)
                {
                    (keys ??= []).Add(new CidKey(commit.Room, request.From, request.Cid));
                }
            }
        }

        if (keys is null)
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT room, sender, cid, seq FROM messages WHERE cid IS NOT NULL AND (room, sender, cid) IN (");
        var i = 0;
        foreach (var key in keys)
        {
            var n = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "(" : ",(").Append("@kr").Append(n).Append(",@kf").Append(n).Append(",@kc").Append(n).Append(')');
            command.AddParameter("@kr" + n, key.Room);
            command.AddParameter("@kf" + n, key.From);
            command.AddParameter("@kc" + n, key.Cid);
            i++;
        }

        command.CommandText = sql.Append(')').ToString();
        var found = new Dictionary<CidKey, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[new CidKey(reader.GetString(0), reader.GetString(1), reader.GetString(2))] = reader.GetInt64(3);
        }

        return found;
    }

    /// <summary>What makes a send a repeat: the same sender and cid in the same room.</summary>
    private readonly record struct CidKey(string Room, string From, string Cid);

    private async Task InsertAsync(DbConnection connection, List<(string Room, StoredMessage Message)> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        await using var command = dialect.CreateInsert(connection, rows);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<StoredMessage>> ReadMessagesAsync(DbCommand command, bool descending, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var messages = new List<StoredMessage>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            messages.Add(new StoredMessage(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        if (descending)
        {
            messages.Reverse();
        }

        metrics.ReadDone(started);
        return messages;
    }
}
