using System.Net;

namespace Messaging.Hosting;

/// <summary>The <c>Orleans</c> configuration section: how silos and fronts find each other.</summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Orleans";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public string ClusterId { get; set; } = "messaging";

    public string ServiceId { get; set; } = "messaging";

    public int SiloPort { get; set; } = DefaultSiloPort;

    public int GatewayPort { get; set; } = DefaultGatewayPort;

    /// <summary>The address other silos and fronts reach this silo at (a pod IP on Kubernetes). Default: Orleans picks one.</summary>
    public string? AdvertisedIP { get; set; }

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

        return failures;
    }
}
