using Microsoft.Extensions.Options;

namespace Messaging.Samples.WordFilter;

/// <summary>The same filter, refusing instead of masking.</summary>
public sealed class StrictWordFilterRoom(IOptions<WordFilterOptions> options) : WordFilterRoom(options)
{
    protected override WordFilterMode Mode => WordFilterMode.Refuse;
}
