using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Protocol;

internal sealed class ProtocolLimitsValidator : IValidateOptions<ProtocolLimits>
{
    public ValidateOptionsResult Validate(string? name, ProtocolLimits options)
    {
        var failures = new List<string>();
        Check(options.FrameBytes is >= 1024 and <= 16 * 1024 * 1024, nameof(options.FrameBytes), "between 1024 and 16777216");
        Check(options.CommandsPerSecond is >= 1 and <= 100_000, nameof(options.CommandsPerSecond), "between 1 and 100000");
        Check(options.CommandBurst >= options.CommandsPerSecond && options.CommandBurst <= 1_000_000, nameof(options.CommandBurst), "at least CommandsPerSecond");
        Check(options.RoomsPerConnection is >= 1 and <= 100_000, nameof(options.RoomsPerConnection), "between 1 and 100000");
        Check(options.QueueBytes >= options.FrameBytes * 2, nameof(options.QueueBytes), "at least twice FrameBytes");
        Check(options.IdleTimeout >= TimeSpan.FromSeconds(2), nameof(options.IdleTimeout), "at least 2 seconds");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(bool ok, string setting, string rule)
        {
            if (!ok)
            {
                failures.Add($"{ProtocolLimits.SectionName}:{setting} must be {rule}.");
            }
        }
    }
}
