using System.Net;

namespace Messaging.Hosting;

/// <summary>The <c>Orleans</c> configuration section: how silos and fronts find each other.</summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Orleans";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    // Orleans' own default. Its directory caches reserve their tables for this many grains at start
    // (two of 9.3 MB in a silo); a small pod that addresses far fewer grains saves about 16 MB at 100,000.
    public const int DefaultDirectoryCacheSize = 1_000_000;

    public string ClusterId { get; set; } = "messaging";

    public string ServiceId { get; set; } = "messaging";

    public int SiloPort { get; set; } = DefaultSiloPort;

    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>The address other silos and fronts reach this silo at (a pod IP on Kubernetes). Default: Orleans picks one.</summary>
    public string? AdvertisedIP { get; set; }

    /// <summary>How many grain locations a silo caches (Orleans' <c>GrainDirectoryOptions.CacheSize</c>).</summary>
    public int DirectoryCacheSize { get; set; } = DefaultDirectoryCacheSize;

    /// <summary>Checks the settings; each message names the setting at fault.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            failures.Add($"{SectionName}:{nameof(ClusterId)} must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            failures.Add($"{SectionName}:{nameof(ServiceId)} must not be empty.");
        }

        if (SiloPort is < 1 or > 65535)
        {
            failures.Add($"{SectionName}:{nameof(SiloPort)} must be a TCP port (1-65535).");
        }

        if (GatewayPort is < 1 or > 65535 || GatewayPort == SiloPort)
        {
            failures.Add($"{SectionName}:{nameof(GatewayPort)} must be a TCP port (1-65535) other than {nameof(SiloPort)}.");
        }

        if (AdvertisedIP is not null && !IPAddress.TryParse(AdvertisedIP, out _))
        {
            failures.Add($"{SectionName}:{nameof(AdvertisedIP)} must be an IP address.");
        }

        if (DirectoryCacheSize is < 1_000 or > 10_000_000)
        {
            failures.Add($"{SectionName}:{nameof(DirectoryCacheSize)} must be between 1000 and 10000000 grains.");
        }

        return failures;
    }
}
