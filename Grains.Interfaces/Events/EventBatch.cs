using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace Messaging.Events;

/// <summary>
/// The events one <c>OnNextAsync</c> put on one room-events stream, as its queue holds them and
/// as the silo's pulling agent hands them to subscribers, clients beside the cluster included
/// (which is why the type is here). <see cref="Sequence"/> is given by the queue; each event's
/// token is that number and the event's index.
/// </summary>
[GenerateSerializer, Immutable, Alias("messaging.EventBatch")]
public sealed record EventBatch(
    [property: Id(0)] StreamId StreamId,
    [property: Id(1)] object[] Events,
    [property: Id(2)] Dictionary<string, object>? RequestContext,
    [property: Id(3)] long Sequence = 0) : IBatchContainer
{
    public StreamSequenceToken SequenceToken => new EventSequenceTokenV2(Sequence);

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Events.Length; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, new EventSequenceTokenV2(Sequence, i));
            }
        }
    }

    public bool ImportRequestContext()
    {
        if (RequestContext is null)
        {
            return false;
        }

        RequestContextExtensions.Import(RequestContext);
        return true;
    }
}
