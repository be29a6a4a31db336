using System.Text.Json;
using System.Threading.Tasks;

namespace Messaging.Client;

/// <summary>A command waiting for its answer (by id): either a plain request or one transmission of an unacknowledged send.</summary>
internal sealed class PendingRequest
{
    public PendingRequest(TaskCompletionSource<JsonElement>? answer, UnackedSend? send)
    {
        Answer = answer;
        Send = send;
    }

    public TaskCompletionSource<JsonElement>? Answer { get; }

    public UnackedSend? Send { get; }
}
