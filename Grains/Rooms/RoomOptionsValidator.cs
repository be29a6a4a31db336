using Microsoft.Extensions.Options;

namespace Messaging.Rooms;

internal sealed class RoomOptionsValidator : IValidateOptions<RoomOptions>
{
    public ValidateOptionsResult Validate(string? name, RoomOptions options)
    {
        var failures = new List<string>();
        if (options.FrontLease <= TimeSpan.Zero)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.FrontLease)} must be positive.");
        }

        if (options.HeartbeatPeriod <= TimeSpan.Zero || options.HeartbeatPeriod >= options.FrontLease)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.HeartbeatPeriod)} must be positive and shorter than {nameof(options.FrontLease)}.");
        }

        if (options.PresenceCoalesce < TimeSpan.Zero || options.PresenceCoalesce > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.PresenceCoalesce)} must be between 0 and 10 seconds.");
        }

        if (options.MaxBatch is < 1 or > 1000)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.MaxBatch)} must be between 1 and 1000.");
        }

        if (options.CommitWriters is < 1 or > 16)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.CommitWriters)} must be between 1 and 16.");
        }

        if (options.CommitWindow < TimeSpan.Zero || options.CommitWindow > TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.CommitWindow)} must be between 0 and 100 ms.");
        }

        if (options.CommitWindowRows < 1 || options.CommitWindowRows > Storage.CommitBatcher.MaxRows)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.CommitWindowRows)} must be between 1 and {Storage.CommitBatcher.MaxRows} (the rows of one transaction).");
        }

        if (options.MaxCommitAttempts is < 1 or > 100)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.MaxCommitAttempts)} must be between 1 and 100.");
        }

        if (options.MaxMembers is < 1 or > 100_000)
        {
            failures.Add($"{RoomOptions.SectionName}:{nameof(options.MaxMembers)} must be between 1 and 100000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
