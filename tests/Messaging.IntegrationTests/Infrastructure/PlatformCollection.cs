using Xunit;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// Every integration test runs in this one collection, one class after another: they share the
/// servers, some stop PostgreSQL or kill silos, and two cores do not run two clusters well.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<ServersFixture>
{
    public const string Name = "platform";
}
