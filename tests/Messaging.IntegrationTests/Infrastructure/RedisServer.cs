using System.Diagnostics;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// A private redis-server on a loopback port for the test run: without persistence, or with an
/// append-only file (as the dev overlay runs it) for tests that restart it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly bool _persistent;
    private Process _process;

    private RedisServer(Process process, string folder, int port, bool persistent)
    {
        _process = process;
        _folder = folder;
        _persistent = persistent;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(bool persistent = false)
    {
        var folder = Directory.CreateTempSubdirectory("msg-redis-").FullName;
        var port = Ports.Free();
        return new RedisServer(await LaunchAsync(folder, port, persistent), folder, port, persistent);
    }

    /// <summary>kill -9, then a new redis-server on the same port and data folder.</summary>
    public async Task KillAndRestartAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = await LaunchAsync(_folder, Port, _persistent);
    }

    private static async Task<Process> LaunchAsync(string folder, int port, bool persistent)
    {
        var info = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Persistent: every write is on disk before Redis answers, so a kill -9 loses nothing.
        var appendOnly = persistent ? new[] { "--appendonly", "yes", "--appendfsync", "always" } : ["--appendonly", "no"];
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--dir", folder }.Concat(appendOnly))
        {
            info.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/test.sh, which installs it (apt-get install redis-server).", ex);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
