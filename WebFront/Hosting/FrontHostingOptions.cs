namespace Messaging.WebFront.Hosting;

/// <summary>The <c>Hosting</c> section: which mode the front runs in and where standalone data lives.</summary>
public sealed class FrontHostingOptions
{
    public const string SectionName = "Hosting";

    public HostingMode Mode { get; set; } = HostingMode.Standalone;

    /// <summary>Standalone only: the folder holding the SQLite database and the dev signing key.</summary>
    public string DataPath { get; set; } = "data";
}
