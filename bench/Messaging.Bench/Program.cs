using Messaging.Bench;

// compare OURS BASELINE [OURS BASELINE ...]: one pair's table, or with more, each metric's mean over the rounds.
if (args.Length >= 3 && args.Length % 2 == 1 && args[0] == "compare")
{
    var rounds = new List<(RunReport Ours, RunReport Baseline)>();
    for (var i = 1; i < args.Length; i += 2)
    {
        var ours = RunReport.FromJson(File.ReadAllText(args[i]));
        var baseline = RunReport.FromJson(File.ReadAllText(args[i + 1]));
        if (ours is null || baseline is null)
        {
            Console.Error.WriteLine($"compare: unreadable report ({args[i]} or {args[i + 1]})");
            return 2;
        }

        rounds.Add((ours, baseline));
    }

    Console.WriteLine(rounds.Count == 1 ? Comparison.ToMarkdown(rounds[0].Ours, rounds[0].Baseline) : Comparison.ToMarkdown(rounds));
    return 0;
}

if (args.Length == 1 && args[0] == "free-port")
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    Console.WriteLine(((System.Net.IPEndPoint)listener.LocalEndpoint).Port);
    return 0;
}

LoadOptions? options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
{
    Console.Error.WriteLine(ex.Message);
    options = null;
}

if (options is null)
{
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await new LoadRun(options).RunAsync(cancel.Token).ConfigureAwait(false);
var json = report.ToJson();
Console.WriteLine(json);
Console.WriteLine(report.ToMarkdown());
if (options.JsonFile is { } file)
{
    await File.WriteAllTextAsync(file, json).ConfigureAwait(false);
}

return report.Steps.All(s => s.Losses == 0 && s.SeqGaps == 0 && s.Disorder == 0) ? 0 : 1;
