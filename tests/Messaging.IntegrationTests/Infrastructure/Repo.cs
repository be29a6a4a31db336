namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>Where the built platform binaries are.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    // The tests and the processes they start come from the same build configuration.
    private static string Configuration => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string SiloDll => Binary("Silo");

    public static string WebFrontDll => Binary("WebFront");

    /// <summary>The silo host with the sample room kinds registered.</summary>
    public static string SampleSiloDll => Binary(Path.Combine("samples", "SampleSilo"), "SampleSilo");

    /// <summary>The sample service that reads room events from the stream.</summary>
    public static string HelpBotDll => Binary(Path.Combine("samples", "HelpBot"), "HelpBot");

    private static string Binary(string project) => Binary(project, project);

    private static string Binary(string folder, string project)
    {
        var path = Path.Combine(Root, folder, "bin", Configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first.", path);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("Orleans.sln not found above the test binaries.");
    }
}
