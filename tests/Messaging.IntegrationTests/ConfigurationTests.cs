using Messaging.IntegrationTests.Infrastructure;
using Xunit;

namespace Messaging.IntegrationTests;

/// <summary>Bad or missing configuration in cluster mode stops a process at start, naming the setting.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ConfigurationTests(ServersFixture servers)
{
    public static TheoryData<string, string, string, string> BadSettings() => new()
    {
        { "Silo", "ConnectionStrings__Redis", "", "ConnectionStrings:Redis" },
        { "Silo", "ConnectionStrings__Postgres", "", "ConnectionStrings:Postgres" },
        { "Silo", "Orleans__SiloPort", "70000", "Orleans:SiloPort" },
        { "Silo", "Rooms__MaxBatch", "0", "Rooms:MaxBatch" },
        { "WebFront", "ConnectionStrings__Redis", "", "ConnectionStrings:Redis" },
        { "WebFront", "Auth__SigningKey", "too-short", "Auth:SigningKey" },
        { "WebFront", "Limits__FrameBytes", "10", "Limits:FrameBytes" },
        { "WebFront", "Auth__AllowedOrigins__0", "not an origin", "Auth:AllowedOrigins" },
        { "WebFront", "Delivery__UserRenewPeriod", "00:00:01", "Delivery:UserRenewPeriod" },
        { "WebFront", "Delivery__WriteDelay", "00:00:00.051", "Delivery:WriteDelay" },
        { "WebFront", "Delivery__SignalWriteDelay", "00:00:00.051", "Delivery:SignalWriteDelay" },
        { "WebFront", "WarmUp__Connections", "0", "WarmUp:Connections" },
        { "WebFront", "WarmUp__Rounds", "11", "WarmUp:Rounds" },
        { "WebFront", "WarmUp__Timeout", "00:00:00.500", "WarmUp:Timeout" },
        { "WebFront", "Api__Keys__0__Key", "short", "Api:Keys:0:Key" },
        { "WebFront", "Api__MaxPageSize", "5000", "Api:MaxPageSize" },
        { "Silo", "Rooms__MaxMembers", "0", "Rooms:MaxMembers" },
        { "Silo", "Users__MaxRooms", "0", "Users:MaxRooms" },
        { "Silo", "RoomKinds__HookTimeout", "00:05:00", "RoomKinds:HookTimeout" },
        { "Silo", "Streams__QueueCapacity", "0", "Streams:QueueCapacity" },
        { "Silo", "Streams__QueueCapacity", "1048577", "Streams:QueueCapacity" },
        { "Silo", "Streams__EventHubs__ConnectionString", "Endpoint=sb://nowhere.invalid/;SharedAccessKeyName=k;SharedAccessKey=a2V5", "Streams:EventHubs:CheckpointConnectionString" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_the_process_with_its_name(string process, string key, string value, string named)
    {
        await using var cluster = new PlatformCluster(servers);
        var environment = cluster.SiloEnvironment();
        environment["ConnectionStrings__Postgres"] = servers.Postgres.ConnectionString("postgres");
        if (process == "WebFront")
        {
            environment["Hosting__Mode"] = "Cluster";
            environment["Auth__SigningKey"] = Tokens.SigningKey;
        }

        environment[key] = value;
        await using var started = PlatformProcess.Start(process, process == "Silo" ? Repo.SiloDll : Repo.WebFrontDll, environment, process == "Silo" ? null : Ports.Free());

        var exitCode = await started.Exited.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exitCode);
        Assert.Contains(named, started.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", started.Output, StringComparison.Ordinal);
    }
}
