using System.Threading.Channels;
using Messaging.Rooms;
using Messaging.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>Rooms:CommitWriters is how many commits the batcher keeps at the store at once.</summary>
public sealed class CommitWritersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task The_batcher_keeps_as_many_commits_in_flight_as_it_has_writers(int writers)
    {
        var store = new GatedStore();
        var batcher = new CommitBatcher(store, Options.Create(new RoomOptions { CommitWriters = writers }), TimeProvider.System, NullLogger<CommitBatcher>.Instance);

        // Each commit is submitted once the one before it has reached the store, so every commit
        // goes alone to whichever writer is free; a busy writer's arrivals wait for it.
        var commits = new List<Task<CommitOutcome>>();
        for (var i = 0; i < writers; i++)
        {
            commits.Add(batcher.CommitAsync(Commit($"room-{i}")));
            Assert.Equal($"room-{i}", await store.Entered.Reader.ReadAsync());
        }

        var extra = batcher.CommitAsync(Commit("room-extra"));
        store.Release("room-0");
        Assert.Equal("room-extra", await store.Entered.Reader.ReadAsync());
        for (var i = 1; i < writers; i++)
        {
            store.Release($"room-{i}");
        }

        store.Release("room-extra");
        await Task.WhenAll([.. commits, extra]);
        Assert.Equal(writers, store.MaxInFlight);
    }

    private static RoomCommit Commit(string room) => new(room, 0, [new SendRequest("u", "1", null)], 0);

    /// <summary>A store whose commits wait until the test releases them, counting how many wait at once.</summary>
    private sealed class GatedStore : CommitOnlyStore
    {
        private readonly Dictionary<string, TaskCompletionSource> _gates = [];
        private readonly Lock _lock = new();
        private int _inFlight;

        public Channel<string> Entered { get; } = Channel.CreateUnbounded<string>();

        public int MaxInFlight { get; private set; }

        public void Release(string room) => Gate(room).TrySetResult();

        public override async Task<CommitOutcome> CommitAsync(string room, long lastSeq, IReadOnlyList<SendRequest> batch, long timestamp, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            }

            Entered.Writer.TryWrite(room);
            await Gate(room).Task;
            lock (_lock)
            {
                _inFlight--;
            }

            return new CommitOutcome(lastSeq + batch.Count, [lastSeq + 1], [false], []);
        }

        public override Task<CommitOutcome[]> CommitManyAsync(IReadOnlyList<RoomCommit> commits, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Every commit here is submitted alone.");

        private TaskCompletionSource Gate(string room)
        {
            lock (_lock)
            {
                if (!_gates.TryGetValue(room, out var gate))
                {
                    gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _gates[room] = gate;
                }

                return gate;
            }
        }
    }
}
