using System.Globalization;
using System.Text;
using Messaging.Rooms;
using System.Data.Common;

namespace Messaging.Storage;

/// <summary><see cref="IRoomRecords"/> in portable SQL (RETURNING, CTE column lists and LIMIT work on PostgreSQL and SQLite alike).</summary>
internal sealed class SqlRoomRecords(DbDataSource dataSource) : IRoomRecords
{
    // Well under both databases' parameter limits, and a short statement to plan.
    private const int RoomsPerQuery = 500;

    public async Task<ModerationRecord> RecordModerationAsync(string room, long at, string actor, ModerationAction action, string target, string? reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO moderation_actions (room, at, actor, action, target, reason) VALUES (@room, @at, @actor, @action, @target, @reason) RETURNING id");
        command.AddParameter("@room", room);
        command.AddParameter("@at", at);
        command.AddParameter("@actor", actor);
        command.AddParameter("@action", ModerationActions.Name(action));
        command.AddParameter("@target", target);
        command.AddParameter("@reason", (object?)reason ?? DBNull.Value);
        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return new ModerationRecord(id, at, actor, action, target, reason);
    }

    public async Task<IReadOnlyList<ModerationRecord>> ListModerationAsync(string room, long beforeId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, at, actor, action, target, reason FROM moderation_actions WHERE room = @room AND id < @before ORDER BY id DESC LIMIT @limit");
        command.AddParameter("@room", room);
        command.AddParameter("@before", beforeId);
        command.AddParameter("@limit", limit);
        var records = new List<ModerationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ModerationActions.TryParse(reader.GetString(3), out var action))
            {
                records.Add(new ModerationRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), action, reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }

        return records;
    }

    public async Task MarkPrivateAsync(string room, long at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO private_rooms (room, created_at) VALUES (@room, @at) ON CONFLICT (room) DO NOTHING");
        command.AddParameter("@room", room);
        command.AddParameter("@at", at);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteMessagesAsync(string room, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM messages WHERE room = @room");
        command.AddParameter("@room", room);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RoomSeq>> GetLatestAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken)
    {
        var results = new List<RoomSeq>(rooms.Count);
        foreach (var chunk in rooms.Chunk(RoomsPerQuery))
        {
            await using var command = dataSource.CreateCommand();

            // One index probe per room for its top seq: cost grows with rooms asked, not with history.
            var sql = new StringBuilder("WITH asked(room) AS (VALUES ");
            for (var i = 0; i < chunk.Length; i++)
            {
                var name = "@r" + i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? "(" : ",(").Append(name).Append(')');
                command.AddParameter(name, chunk[i]);
            }

            sql.Append(") SELECT asked.room,")
                .Append(" COALESCE((SELECT m.seq FROM messages m WHERE m.room = asked.room ORDER BY m.seq DESC LIMIT 1), 0),")
                .Append(" CASE WHEN EXISTS (SELECT 1 FROM private_rooms p WHERE p.room = asked.room) THEN 1 ELSE 0 END")
                .Append(" FROM asked");
            command.CommandText = sql.ToString();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                results.Add(new RoomSeq(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2) == 1));
            }
        }

        return results;
    }
}
