using Messaging.Bench;

if (args.Length == 3 && args[0] == "compare")
{
    var ours = RunReport.FromJson(File.ReadAllText(args[1]));
    var baseline = RunReport.FromJson(File.ReadAllText(args[2]));
    if (ours is null || baseline is null)
    {
        Console.Error.WriteLine("compare: unreadable report");
        return 2;
    }

    Console.WriteLine(Comparison.ToMarkdown(ours, baseline));
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
