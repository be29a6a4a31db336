using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>The zero-configuration process: front, co-hosted silo and SQLite under a data folder.</summary>
public static class StandaloneFront
{
    /// <summary>Starts it with nothing configured but free ports and where its data folder is.</summary>
    public static async Task<PlatformProcess> StartAsync(string dataPath, int httpPort, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Hosting__DataPath"] = dataPath,
            ["Orleans__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var front = PlatformProcess.Start("standalone", Repo.WebFrontDll, environment, httpPort);
        await front.WaitReadyAsync(TimeSpan.FromSeconds(90));
        return front;
    }

    /// <summary>A token from the standalone process's <c>POST /dev/token</c>.</summary>
    public static async Task<string> DevTokenAsync(PlatformProcess front, string user)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsJsonAsync(new Uri(front.BaseUri, "/dev/token"), new { user });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }
}
