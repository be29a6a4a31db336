using Messaging.WebFront.Api;
using Xunit;

namespace Messaging.UnitTests;

public sealed class ApiOptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.True(new ApiOptionsValidator().Validate(null, new ApiOptions()).Succeeded);

    [Fact]
    public void Limits_out_of_range_are_named()
    {
        var result = new ApiOptionsValidator().Validate(null, new ApiOptions { MaxBodyBytes = 10, MaxPageSize = 0, PermitsPerSecond = 10, Burst = 5 });

        Assert.True(result.Failed);
        Assert.Contains("Api:MaxBodyBytes", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Api:MaxPageSize", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Api:Burst", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_keys_need_a_unique_name_a_long_secret_and_known_scopes()
    {
        var result = new ApiOptionsValidator().Validate(null, new ApiOptions
        {
            Keys =
            [
                new ApiKeyOptions { Name = "billing", Key = "short", Scopes = ["messages:publish"] },
                new ApiKeyOptions { Name = "billing", Key = new string('k', 40), Scopes = ["everything"] },
            ],
        });

        Assert.True(result.Failed);
        Assert.Contains("Api:Keys:0:Key", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Api:Keys:1:Name", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Api:Keys:1:Scopes", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Api:Keys:0:Name", result.FailureMessage, StringComparison.Ordinal);
    }
}
