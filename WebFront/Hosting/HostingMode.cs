namespace Messaging.WebFront.Hosting;

/// <summary>How a front reaches the grains.</summary>
public enum HostingMode
{
    /// <summary>One process: a silo co-hosted in the front, localhost clustering, SQLite under the data folder.</summary>
    Standalone = 0,

    /// <summary>An Orleans client of silos found through Redis.</summary>
    Cluster = 1,
}
