using System.Globalization;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>The zero-configuration process: front, co-hosted silo and SQLite under a data folder.</summary>
public static class StandaloneFront
{
    /// <summary>Starts it with nothing configured but free ports and where its data folder is.</summary>
    public static async Task<PlatformProcess> StartAsync(string dataPath, int httpPort)
    {
        var front = PlatformProcess.Start("standalone", Repo.WebFrontDll, new Dictionary<string, string>
        {
            ["Hosting__DataPath"] = dataPath,
            ["Orleans__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
        }, httpPort);
        await front.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return front;
    }
}
