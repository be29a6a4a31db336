namespace Messaging.Rooms;

/// <summary>A send waiting for the next group commit; completed after the commit.</summary>
internal sealed class PendingSend(SendRequest request)
{
    public SendRequest Request { get; } = request;

    // Completed only on the room's own scheduler, where its one awaiter (the send call) may
    // continue inline: a hop to the thread pool and back would buy nothing.
    public TaskCompletionSource<SendResult> Completion { get; } = new();
}
