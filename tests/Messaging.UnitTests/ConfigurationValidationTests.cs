using Messaging.Hosting;
using Messaging.Rooms;
using Messaging.WebFront.Protocol;
using Xunit;

namespace Messaging.UnitTests;

public sealed class ConfigurationValidationTests
{
    [Fact]
    public void Cluster_settings_name_the_bad_setting()
    {
        var failures = new ClusterSettings { SiloPort = 0, GatewayPort = 0, ClusterId = " ", AdvertisedIP = "not-an-ip" }.Validate();

        Assert.Contains(failures, f => f.StartsWith("Orleans:SiloPort", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Orleans:GatewayPort", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Orleans:ClusterId", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Orleans:AdvertisedIP", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(999)]
    [InlineData(10_000_001)]
    public void A_directory_cache_size_out_of_range_is_named(int size)
    {
        var failures = new ClusterSettings { DirectoryCacheSize = size }.Validate();

        Assert.Equal("Orleans:DirectoryCacheSize", Assert.Single(failures).Split(' ')[0]);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000_000)]
    public void A_directory_cache_size_at_either_bound_is_accepted(int size) => Assert.Empty(new ClusterSettings { DirectoryCacheSize = size }.Validate());

    [Fact]
    public void Default_cluster_settings_are_valid() => Assert.Empty(new ClusterSettings().Validate());

    [Fact]
    public void Protocol_limits_name_the_bad_setting()
    {
        var result = new ProtocolLimitsValidator().Validate(null, new ProtocolLimits { FrameBytes = 10, QueueBytes = 1 });

        Assert.True(result.Failed);
        Assert.Contains("Limits:FrameBytes", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Limits:QueueBytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Room_options_refuse_a_heartbeat_longer_than_the_lease()
    {
        var result = new RoomOptionsValidator().Validate(null, new RoomOptions { FrontLease = TimeSpan.FromSeconds(1), HeartbeatPeriod = TimeSpan.FromSeconds(2) });

        Assert.True(result.Failed);
        Assert.Contains("Rooms:HeartbeatPeriod", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(16, false)]
    [InlineData(17, true)]
    public void Room_options_bound_the_commit_writers(int writers, bool fails)
    {
        var result = new RoomOptionsValidator().Validate(null, new RoomOptions { CommitWriters = writers });

        Assert.Equal(fails, result.Failed);
        if (fails)
        {
            Assert.Contains("Rooms:CommitWriters", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(-1, 64, "Rooms:CommitWindow")]
    [InlineData(101, 64, "Rooms:CommitWindow")]
    [InlineData(10, 0, "Rooms:CommitWindowRows")]
    [InlineData(10, 1025, "Rooms:CommitWindowRows")]
    [InlineData(0, 1, null)]
    [InlineData(100, 1024, null)]
    public void Room_options_bound_the_commit_window(int windowMs, int rows, string? failure)
    {
        var options = new RoomOptions { CommitWindow = TimeSpan.FromMilliseconds(windowMs), CommitWindowRows = rows };
        var result = new RoomOptionsValidator().Validate(null, options);

        Assert.Equal(failure is not null, result.Failed);
        if (failure is not null)
        {
            Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
