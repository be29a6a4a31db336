using Xunit;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>One PostgreSQL and one Redis for the whole run; each cluster gets its own database and cluster id.</summary>
public sealed class ServersFixture : IAsyncLifetime
{
    private int _databases;

    public PostgresServer Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var redis = RedisServer.StartAsync();
        Postgres = await postgres;
        Redis = await redis;
    }

    public Task<string> NewDatabaseAsync() => Postgres.CreateDatabaseAsync($"messaging_{Interlocked.Increment(ref _databases)}");

    public async Task DisposeAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }

        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}
