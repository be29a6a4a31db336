using Messaging.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// A silo's `Maximum Pool Size` bounds all its PostgreSQL backends: grain state (Orleans' ADO.NET
/// storage) and the message store draw from one pool, so an operator sizing `max_connections`
/// counts it once per silo.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ConnectionPoolTests(ServersFixture servers) : ClusterTest(servers, silos: 0, fronts: 0)
{
    private const int PoolSize = 3;

    [Fact]
    public async Task Grain_state_and_messages_share_one_pool_of_the_configured_size()
    {
        await Cluster.StartSiloAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = $"{Cluster.DatabaseConnectionString};Maximum Pool Size={PoolSize}",
        });
        var front = await Cluster.StartFrontAsync();

        // Forty rooms activating at once: each reads its grain state and its last seq, and each
        // first send writes state and commits a message, so both kinds of query run concurrently.
        var clients = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => TestClient.ConnectAsync(front.SocketUri, $"user{i}")));
        try
        {
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                await client.JoinAsync($"pool-{i}");
                Assert.Equal(1, (await client.SendAsync($"pool-{i}", i)).GetProperty("seq").GetInt64());
            }));

            // Idle pooled connections stay open for minutes, so the count is what the load opened.
            Assert.InRange(await CountBackendsAsync(), 1, PoolSize);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private async Task<long> CountBackendsAsync()
    {
        await using var connection = new NpgsqlConnection(Cluster.DatabaseConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
