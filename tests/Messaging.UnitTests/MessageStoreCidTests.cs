using System.Diagnostics.Metrics;
using Messaging.Rooms;
using Messaging.Storage;
using Messaging.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>
/// The message store on the embedded database the standalone platform uses: a commit assumes its
/// cids are new and lets the unique index refuse a repeat, and only then looks them up.
/// </summary>
public sealed class MessageStoreCidTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "msg-store-" + Guid.NewGuid().ToString("N"));
    private readonly StorageDialect _dialect = StorageDialect.For(StorageProvider.Sqlite);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private System.Data.Common.DbDataSource _data = null!;
    private SqlMessageStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _data = _dialect.CreateDataSource($"Data Source={Path.Combine(_folder, "messages.db")};Pooling=false");
        await using var connection = await _data.OpenConnectionAsync();
        foreach (var step in _dialect.Migrations)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = step;
            await command.ExecuteNonQueryAsync();
        }

        _store = new SqlMessageStore(_data, _dialect, new StorageMetrics(_services.GetRequiredService<IMeterFactory>()));
    }

    public async Task DisposeAsync()
    {
        await _data.DisposeAsync();
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_repeat_in_a_shared_commit_answers_its_first_seq_and_the_rest_is_stored_once()
    {
        await _store.CommitAsync("a", 0, [new SendRequest("alice", "\"one\"", "c1")], 1, CancellationToken.None);

        // Room a repeats c1 beside a new c2; room b's c1 is its own first message.
        var outcomes = await _store.CommitManyAsync(
        [
            new RoomCommit("a", 1, [new SendRequest("alice", "\"one again\"", "c1"), new SendRequest("alice", "\"two\"", "c2")], 2),
            new RoomCommit("b", 0, [new SendRequest("alice", "\"b one\"", "c1")], 2),
        ], CancellationToken.None);

        Assert.Equal([1L, 2L], outcomes[0].Seqs);
        Assert.Equal([true, false], outcomes[0].Duplicates);
        Assert.Equal(2, outcomes[0].LastSeq);
        Assert.Equal([1L], outcomes[1].Seqs);
        Assert.Equal([false], outcomes[1].Duplicates);

        var a = await _store.ReadRangeAsync("a", 0, 10, 10, CancellationToken.None);
        Assert.Equal(["\"one\"", "\"two\""], a.Select(m => m.Body));
        var b = await _store.ReadRangeAsync("b", 0, 10, 10, CancellationToken.None);
        Assert.Equal(["\"b one\""], b.Select(m => m.Body));
    }

    [Fact]
    public async Task A_taken_seq_is_still_a_conflict_when_the_batch_carries_cids_and_stores_nothing()
    {
        await _store.CommitAsync("a", 0, [new SendRequest("alice", "\"one\"", "c1")], 1, CancellationToken.None);

        // A duplicate activation numbering from a stale last seq: the seq is taken, the cid is new.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            _store.CommitAsync("a", 0, [new SendRequest("bob", "\"stale\"", "c9")], 2, CancellationToken.None));

        Assert.True(_store.IsConflict(refused));
        var a = await _store.ReadRangeAsync("a", 0, 10, 10, CancellationToken.None);
        Assert.Equal(["\"one\""], a.Select(m => m.Body));
    }
}
