using Microsoft.Extensions.Options;

namespace Messaging.Storage;

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxAge is { } age && age < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{RetentionOptions.SectionName}:{nameof(RetentionOptions.MaxAge)} must be at least 1 second (or unset to keep history forever).");
        }

        if (options.PrunePeriod < TimeSpan.FromSeconds(1) || options.PrunePeriod > TimeSpan.FromDays(1))
        {
            failures.Add($"{RetentionOptions.SectionName}:{nameof(RetentionOptions.PrunePeriod)} must be between 1 second and 1 day.");
        }

        if (options.BatchSize is < 1 or > 100_000)
        {
            failures.Add($"{RetentionOptions.SectionName}:{nameof(RetentionOptions.BatchSize)} must be between 1 and 100000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
