namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>Many clients, each joined to a room of its own, closed together when the test ends however it ends.</summary>
public sealed class ClientGroup : IAsyncDisposable
{
    private readonly List<TestClient> _clients = [];

    private ClientGroup()
    {
    }

    public IReadOnlyList<TestClient> Clients => _clients;

    /// <summary>Connects <paramref name="count"/> clients one after another, client i as <paramref name="user"/>(i) into <paramref name="room"/>(i).</summary>
    public static async Task<ClientGroup> JoinEachAsync(Uri socketUri, int count, Func<int, string> user, Func<int, string> room)
    {
        var group = new ClientGroup();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var client = await TestClient.ConnectAsync(socketUri, user(i));
                group._clients.Add(client);
                await client.JoinAsync(room(i));
            }

            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
