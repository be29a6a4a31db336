namespace Messaging.Bench;

/// <summary>What a load client hears from the server, whatever the wire protocol.</summary>
internal interface IFrameSink
{
    void OnAnswer(int id, long seq);

    void OnError(int id, string code);

    /// <summary>A room message or signal; <paramref name="seq"/> is -1 where the protocol has none.</summary>
    void OnDelivery(long seq, long sentTicks, int publisher, int number, bool signal);
}
