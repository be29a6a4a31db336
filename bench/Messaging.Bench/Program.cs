using Messaging.Bench;

// Usage: Messaging.Bench hotroom --url ws://127.0.0.1:5000/ws --key <signing key> [--clients 20] [--window 8] [--seconds 10]
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var result = await HotRoomScenario.RunAsync(options).ConfigureAwait(false);
Console.WriteLine(result.ToJson());
Console.WriteLine(result.ToMarkdown());
return result.Errors == 0 ? 0 : 1;
