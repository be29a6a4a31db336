namespace Messaging.Rooms;

/// <summary>A send waiting for the next group commit; completed after the commit.</summary>
internal sealed class PendingSend(SendRequest request, string? frontId = null)
{
    public SendRequest Request { get; } = request;

    /// <summary>The front whose call brought this send, if it delivers what it sends itself.</summary>
    public string? FrontId { get; } = frontId;

    // Completed only on the room's own scheduler, where its one awaiter (the send call) may
    // continue inline: a hop to the thread pool and back would buy nothing.
    public TaskCompletionSource<SendResult> Completion { get; } = new();
}
