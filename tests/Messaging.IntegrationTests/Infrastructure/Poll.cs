namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// For state that no event announces (a scrape, a table, an export): read it again until it is
/// what the test waits for, or the time is up. The caller asserts on the last value read.
/// </summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(200);
        }
    }
}
