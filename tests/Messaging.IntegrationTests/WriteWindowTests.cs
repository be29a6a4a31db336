using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Delivery:WriteDelay: frames for a busy socket wait for the front's write window and leave
/// together, so a stream of signals costs a few socket writes instead of one per frame, and still
/// arrives whole and in order, with replies to commands answered.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class WriteWindowTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, frontEnvironment: WindowBurst.Settings("Delivery__WriteDelay"))
{
    [Fact]
    public Task A_burst_to_a_busy_socket_leaves_in_a_few_writes_whole_and_in_order() => WindowBurst.RunAsync(Cluster.Fronts[0], "window");
}
