using System;
using System.Text.Json;
using System.Threading.Tasks;

namespace Messaging.Client;

/// <summary>A <c>send</c> or <c>dm</c> not acknowledged yet; its <c>cid</c> makes every retransmission store at most one message.</summary>
internal sealed class UnackedSend
{
    public UnackedSend(string cid, Action<Utf8JsonWriter> write)
    {
        Cid = cid;
        Write = write;
    }

    public string Cid { get; }

    /// <summary>Writes the command's fields (type, room or to, body, cid); the id is added per transmission.</summary>
    public Action<Utf8JsonWriter> Write { get; }

    public TaskCompletionSource<SendResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
