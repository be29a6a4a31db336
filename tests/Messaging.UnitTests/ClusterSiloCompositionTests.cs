using Messaging.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Xunit;

namespace Messaging.UnitTests;

/// <summary>The silo's settings reach the Orleans options they name (the host is built, never started).</summary>
public sealed class ClusterSiloCompositionTests
{
    [Theory]
    [InlineData(null, ClusterSettings.DefaultDirectoryCacheSize)]
    [InlineData("100000", 100_000)]
    public void The_directory_cache_size_reaches_orleans(string? setting, int expected)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:Redis"] = "127.0.0.1:1";
        builder.Configuration["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none";
        if (setting is not null)
        {
            builder.Configuration["Orleans:DirectoryCacheSize"] = setting;
        }

        builder.AddMessagingSilo();
        using var app = builder.Build();

        Assert.Equal(expected, app.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
    }
}
