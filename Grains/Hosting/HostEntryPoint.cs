using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Messaging.Hosting;

/// <summary>The shared <c>Main</c> of Silo and WebFront: configuration mistakes end the process with one line.</summary>
public static class HostEntryPoint
{
    public const int ConfigurationErrorExitCode = 2;

    /// <summary>
    /// Checks every option of the built host before it starts, then runs it. A bad setting ends the
    /// process with exit code 2 and a message naming the setting, without a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(Func<IServiceProvider> build, Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            build().GetService<IStartupValidator>()?.Validate();
            await run().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is ConfigurationException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ConfigurationErrorExitCode;
        }
    }
}
