using Microsoft.AspNetCore.Http.Features;

namespace Messaging.WebFront.Connections;

/// <summary>
/// Wraps the server's upgrade so the WebSocket is built over a <see cref="SharedWriteStream"/>,
/// which the connection then writes its frames to directly; installed ahead of the WebSocket
/// middleware for socket requests only.
/// </summary>
internal sealed class SharedWriteUpgradeFeature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    /// <summary>The stream handed to the WebSocket, once upgraded.</summary>
    public SharedWriteStream? Stream { get; private set; }

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new SharedWriteStream(await inner.UpgradeAsync().ConfigureAwait(false));
        return Stream;
    }
}
