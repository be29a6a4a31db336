using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>A Silo or WebFront running as a real OS process, with its output kept for assertions.</summary>
public sealed partial class PlatformProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigStop = 19;
    private const int SigCont = 18;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PlatformProcess(string name, Process process, int? httpPort)
    {
        Name = name;
        _process = process;
        HttpPort = httpPort;
    }

    public string Name { get; }

    /// <summary>The OS process id (names repeat across restarts).</summary>
    public int Id => _process.Id;

    public int? HttpPort { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{HttpPort}");

    public Uri SocketUri => new($"ws://127.0.0.1:{HttpPort}/ws");

    public string Output => string.Join('\n', _output);

    public Task<int> Exited => _exited.Task;

    public static PlatformProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment, int? httpPort = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        if (httpPort is not null)
        {
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add($"http://127.0.0.1:{httpPort}");
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";

        // Production's JSON timestamp format would run into the level of a plain line.
        info.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var platform = new PlatformProcess(name, process, httpPort);
        process.OutputDataReceived += (_, e) => platform.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => platform.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // WaitForExitAsync also waits for both streams to end, so Exited never runs ahead of the last line.
        _ = process.WaitForExitAsync().ContinueWith(_ => platform._exited.TrySetResult(process.ExitCode), TaskScheduler.Default);
        return platform;
    }

    /// <summary>Waits until the process prints <paramref name="text"/> (or has printed it already).</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((text, seen));
        }

        return Task.WhenAny(seen.Task, _exited.Task).Unwrap().WaitAsync(timeout).ContinueWith(
            t =>
            {
                if (!seen.Task.IsCompleted)
                {
                    throw new InvalidOperationException($"{Name} did not print '{text}' (exited: {_exited.Task.IsCompleted}). Output:\n{Output}", t.Exception);
                }
            },
            TaskScheduler.Default);
    }

    /// <summary>Polls <c>/readyz</c> until the front answers ready: a readiness probe, as Kubernetes would.</summary>
    public Task WaitReadyAsync(TimeSpan timeout) => WaitForHttpOkAsync(new Uri(BaseUri, "/readyz"), timeout);

    /// <summary>Polls <paramref name="uri"/> until it answers 2xx, as a kubelet probe does; fails if the process exits first.</summary>
    public async Task WaitForHttpOkAsync(Uri uri, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_exited.Task.IsCompleted)
        {
            try
            {
                using var response = await Http.GetAsync(uri);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException($"{Name}: {uri} did not answer 2xx within {timeout} (exited: {_exited.Task.IsCompleted}). Output:\n{Output}");
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGTERM, as Kubernetes sends: the process shuts down gracefully.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }

        try
        {
            await _exited.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await KillAsync();
        }
    }

    /// <summary>SIGSTOP: the process keeps its sockets open but answers nothing, like a hung or cut-off host.</summary>
    public void Pause() => _ = Kill(_process.Id, SigStop);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => _ = Kill(_process.Id, SigCont);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource>? hits = null;
        lock (_waiters)
        {
            _output.Enqueue(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (line.Contains(_waiters[i].Text, StringComparison.Ordinal))
                {
                    (hits ??= []).Add(_waiters[i].Seen);
                    _waiters.RemoveAt(i);
                }
            }
        }

        hits?.ForEach(h => h.TrySetResult());
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
