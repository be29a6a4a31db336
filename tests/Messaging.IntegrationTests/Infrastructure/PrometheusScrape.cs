using System.Globalization;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>One scrape of a <c>/metrics</c> endpoint: each sample line by its series (name and labels).</summary>
public sealed class PrometheusScrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Dictionary<string, double> _samples;

    private PrometheusScrape(Dictionary<string, double> samples, string text)
    {
        _samples = samples;
        Text = text;
    }

    public string Text { get; }

    public static async Task<PrometheusScrape> ReadAsync(Uri baseUri)
    {
        using var response = await Http.GetAsync(new Uri(baseUri, "/metrics"));
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // name{labels} value [timestamp]
            var close = line.LastIndexOf('}');
            var split = close > 0 ? close + 1 : line.IndexOf(' ');
            var series = line[..split];
            var value = line[split..].Trim().Split(' ')[0];
            samples[series] = double.Parse(value, CultureInfo.InvariantCulture);
        }

        return new PrometheusScrape(samples, text);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (or 20 s pass): a socket's close is counted after its client has seen it.</summary>
    public static Task<PrometheusScrape> WaitForAsync(Uri baseUri, Func<PrometheusScrape, bool> done) =>
        Poll.UntilAsync(() => ReadAsync(baseUri), done, TimeSpan.FromSeconds(20));

    /// <summary>The sum of every series of <paramref name="name"/> whose labels contain each of <paramref name="labels"/> (e.g. <c>code="1003"</c>); 0 when none.</summary>
    public double Sum(string name, params string[] labels) =>
        _samples.Where(s => (s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal)) && labels.All(l => s.Key.Contains(l, StringComparison.Ordinal)))
            .Sum(s => s.Value);

    public bool Has(string name) => _samples.Keys.Any(k => k == name || k.StartsWith(name + "{", StringComparison.Ordinal));
}
