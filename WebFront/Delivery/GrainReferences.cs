using System.Collections.Concurrent;

namespace Messaging.WebFront.Delivery;

/// <summary>
/// Grain references by key without Orleans' lookup on every call: <c>IGrainFactory.GetGrain</c>
/// resolves the interface to its grain type by reflection (custom attributes, type-name
/// formatting) each time, a tenth of the front's allocations under bench `chat`, where a quiet
/// room gets a new outbox, so a new reference, per message. Both types are resolved once here;
/// the front's socket commands (signals, read markers, presence, history) take theirs here too.
/// </summary>
internal sealed class GrainReferences(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<Type, (GrainType Grain, GrainInterfaceType Interface)> _types = new();

    public TGrain Get<TGrain>(string key)
        where TGrain : IGrainWithStringKey
    {
        if (_types.TryGetValue(typeof(TGrain), out var types))
        {
            return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
        }

        var reference = grains.GetGrain<TGrain>(key);

        // A "sys." type stands in while the cluster's type map is still unknown: ask again next time.
        if (reference is GrainReference resolved && !resolved.GrainId.Type.ToString()!.StartsWith(GrainTypePrefix.SystemPrefix, StringComparison.Ordinal))
        {
            _types.TryAdd(typeof(TGrain), (resolved.GrainId.Type, resolved.InterfaceType));
        }

        return reference;
    }
}
