using Npgsql;

namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>
/// A private PostgreSQL on a loopback port with its data in a temp folder; started once per
/// test run, stopped and deleted at the end. As root it runs as the postgres user, as initdb requires.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly string _bin;
    private readonly string? _user;

    private PostgresServer(string folder, string bin, string? user, int port)
    {
        _folder = folder;
        _bin = bin;
        _user = user;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=15";

    private string DataDir => Path.Combine(_folder, "data");

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinDir();
        var folder = Directory.CreateTempSubdirectory("msg-pg-").FullName;
        var user = Shell.IsRoot ? "postgres" : null;
        if (user is not null)
        {
            await Shell.RunAsync("chown", ["-R", "postgres:postgres", folder]);
        }

        var server = new PostgresServer(folder, bin, user, Ports.Free());
        await Shell.RunAsync(Path.Combine(bin, "initdb"), ["-D", server.DataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], user);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        // No pooling: a test may have restarted the server since the last call.
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown): storage becomes unreachable.</summary>
    public Task StopAsync() =>
        Shell.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDir, "-m", "fast", "-w", "stop"], _user);

    public Task StartProcessAsync() =>
        Shell.RunAsync(
            Path.Combine(_bin, "pg_ctl"),
            ["-D", DataDir, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60",
             "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"],
            _user);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static string FindBinDir()
    {
        const string root = "/usr/lib/postgresql";
        if (Directory.Exists(root))
        {
            var newest = Directory.GetDirectories(root)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Version)
                .FirstOrDefault();
            if (newest.Dir is not null)
            {
                return Path.Combine(newest.Dir, "bin");
            }
        }

        throw new InvalidOperationException("PostgreSQL is not installed: run scripts/test.sh, which installs it (apt-get install postgresql).");
    }
}
