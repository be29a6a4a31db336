using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>
/// Delivery:SignalWriteDelay (on by default, with WriteDelay off): signals for a busy socket share
/// the front's write window, and arrive whole and in order; a stored message after them is never held.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SignalWindowTests(ServersFixture servers) : ClusterTest(servers, silos: 1, fronts: 1, frontEnvironment: WindowBurst.Settings("Delivery__SignalWriteDelay"))
{
    [Fact]
    public Task Signals_to_a_busy_socket_leave_in_a_few_writes_whole_and_in_order() => WindowBurst.RunAsync(Cluster.Fronts[0], "signal-window");
}
