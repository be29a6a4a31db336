using System.Collections.Concurrent;
using Messaging.Client;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>The messages a .NET client's reader saw, in the order it saw them.</summary>
public sealed class MessageLog
{
    private readonly ConcurrentQueue<MessageReceived> _messages = new();
    private readonly SemaphoreSlim _added = new(0);

    /// <summary>Starts reading <paramref name="client"/>'s events into a new log.</summary>
    public static MessageLog Collect(MessagingClient client)
    {
        var log = new MessageLog();
        _ = Task.Run(async () =>
        {
            await foreach (var value in client.ReadEventsAsync())
            {
                if (value is MessageReceived message)
                {
                    log.Add(message);
                }
            }
        });
        return log;
    }

    public void Add(MessageReceived message)
    {
        _messages.Enqueue(message);
        _added.Release();
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was seen (or 60 s), then returns it all.</summary>
    public async Task<IReadOnlyList<MessageReceived>> WaitUntilAsync(Func<IReadOnlyList<MessageReceived>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!done([.. _messages]) && await _added.WaitAsync(deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero))
        {
        }

        return [.. _messages];
    }

    /// <summary>Waits for <paramref name="count"/> messages; anything beyond them is a duplicate and fails the caller's comparison.</summary>
    public Task<IReadOnlyList<MessageReceived>> WaitForAsync(int count) => WaitUntilAsync(seen => seen.Count >= count);
}
