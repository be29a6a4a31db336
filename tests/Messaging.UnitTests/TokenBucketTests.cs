using Messaging.WebFront.Connections;
using Xunit;

namespace Messaging.UnitTests;

public sealed class TokenBucketTests
{
    private const long Frequency = 1000;

    [Fact]
    public void A_full_bucket_allows_a_burst_then_refuses()
    {
        var bucket = new TokenBucket(ratePerSecond: 50, capacity: 100, nowTimestamp: 0, Frequency);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(bucket.TryTake(0));
        }

        Assert.False(bucket.TryTake(0));
    }

    [Fact]
    public void Tokens_come_back_at_the_rate()
    {
        var bucket = new TokenBucket(ratePerSecond: 50, capacity: 100, nowTimestamp: 0, Frequency);
        for (var i = 0; i < 100; i++)
        {
            bucket.TryTake(0);
        }

        // 100 ms at 50/s is 5 tokens.
        for (var i = 0; i < 5; i++)
        {
            Assert.True(bucket.TryTake(100));
        }

        Assert.False(bucket.TryTake(100));
    }

    [Fact]
    public void The_bucket_never_holds_more_than_its_capacity()
    {
        var bucket = new TokenBucket(ratePerSecond: 50, capacity: 100, nowTimestamp: 0, Frequency);

        var taken = 0;
        while (bucket.TryTake(1_000_000))
        {
            taken++;
        }

        Assert.Equal(100, taken);
    }
}
