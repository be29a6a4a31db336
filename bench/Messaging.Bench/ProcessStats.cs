using System.Globalization;

namespace Messaging.Bench;

/// <summary>
/// CPU time and memory (PSS) of server processes, read from /proc: each pid with all its
/// descendants (PostgreSQL's backends are children of the postmaster).
/// </summary>
internal static class ProcessStats
{
    // USER_HZ: the unit of /proc/[pid]/stat times; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static ProcessSample Sample(IReadOnlyList<int> roots)
    {
        var parents = new Dictionary<int, int>();
        var stats = new Dictionary<int, (double CpuMs, long RssBytes)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

                // Fields after the command name: [1] ppid, [11] utime, [12] stime, [21] rss pages.
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                var cpu = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) * 1000 / TicksPerSecond;
                stats[pid] = (cpu, ProportionalSetSize(dir) ?? long.Parse(fields[21], CultureInfo.InvariantCulture) * Environment.SystemPageSize);
            }
            catch (IOException)
            {
                // The process ended while we read it.
            }
        }

        var perRoot = new Dictionary<int, (double CpuMs, long RssBytes)>();
        foreach (var root in roots)
        {
            double cpu = 0;
            long rss = 0;
            foreach (var (pid, value) in stats)
            {
                if (IsWithin(pid, root, parents))
                {
                    cpu += value.CpuMs;
                    rss += value.RssBytes;
                }
            }

            perRoot[root] = (cpu, rss);
        }

        return new ProcessSample(perRoot);
    }

    /// <summary>
    /// Memory as PSS: shared pages are split between the processes that map them, so PostgreSQL's
    /// shared buffers are not counted once per backend as RSS would.
    /// </summary>
    private static long? ProportionalSetSize(string dir)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, "smaps_rollup")))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static bool IsWithin(int pid, int root, Dictionary<int, int> parents)
    {
        for (var hops = 0; hops < 64 && pid > 1; hops++)
        {
            if (pid == root)
            {
                return true;
            }

            if (!parents.TryGetValue(pid, out pid))
            {
                return false;
            }
        }

        return false;
    }
}
