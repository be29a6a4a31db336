namespace Messaging.Rooms;

/// <summary>A send waiting for the next group commit; completed after the commit.</summary>
internal sealed class PendingSend(SendRequest request)
{
    public SendRequest Request { get; } = request;

    public TaskCompletionSource<SendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
