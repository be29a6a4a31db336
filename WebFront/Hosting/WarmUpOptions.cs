namespace Messaging.WebFront.Hosting;

/// <summary>
/// The <c>WarmUp</c> section: before a front reports ready, its own loopback clients connect,
/// join and leave in rounds, so the first real burst of clients does not pay for compiling the
/// connect and join path in this front and in the silos it reaches.
/// </summary>
public sealed class WarmUpOptions
{
    public const string SectionName = "WarmUp";

    /// <summary>On by default in cluster mode; off in standalone, where a first start should be quick.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Sockets per round (1 to 5,000).</summary>
    public int Connections { get; set; } = 200;

    /// <summary>
    /// Rounds (1 to 10). The runtime counts calls towards optimising a method only once new
    /// compilation has paused, so the first round compiles and later ones get the hot code optimised.
    /// Hot code passes through an instrumented version first (dynamic PGO), which needs calls of its
    /// own: after 3 rounds the silo still compiled about 3,600 methods during a storm of 10,000
    /// clients, and 6 rounds took the storm from 10–12 s to 7.3–8.5 s; 8 were no faster.
    /// </summary>
    public int Rounds { get; set; } = 6;

    /// <summary>Rooms each round joins (1 to 1,000), named <c>_warmup-ROUND-N</c>: a fixed set, created once per cluster.</summary>
    public int Rooms { get; set; } = 20;

    /// <summary>The longest the warm-up may hold readiness back (1 s to 5 min); the front reports ready after it either way.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
