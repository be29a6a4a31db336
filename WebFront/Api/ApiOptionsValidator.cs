using System.Text;
using Messaging.WebFront.Auth;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Api;

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public const int MinKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        var section = ApiOptions.SectionName;
        Check(options.MaxBodyBytes is >= 1024 and <= 1024 * 1024, $"{section}:{nameof(options.MaxBodyBytes)} must be between 1024 and 1048576.");
        Check(options.MaxPageSize is >= 1 and <= 1000, $"{section}:{nameof(options.MaxPageSize)} must be between 1 and 1000.");
        Check(options.MaxMetadataBytes is >= 2 and <= 64 * 1024, $"{section}:{nameof(options.MaxMetadataBytes)} must be between 2 and 65536.");
        Check(options.MaxTitleLength is >= 1 and <= 1000, $"{section}:{nameof(options.MaxTitleLength)} must be between 1 and 1000.");
        Check(options.PermitsPerSecond is >= 1 and <= 100_000, $"{section}:{nameof(options.PermitsPerSecond)} must be between 1 and 100000.");
        Check(options.Burst >= options.PermitsPerSecond && options.Burst <= 1_000_000, $"{section}:{nameof(options.Burst)} must be at least {nameof(options.PermitsPerSecond)} and at most 1000000.");

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Length; i++)
        {
            var key = options.Keys[i];
            var prefix = $"{section}:{nameof(options.Keys)}:{i}";
            Check(JwtBearerSetup.IsValidUserId(key.Name) && names.Add(key.Name), $"{prefix}:{nameof(key.Name)} must be a unique name of 1 to 256 characters.");
            Check(Encoding.UTF8.GetByteCount(key.Key ?? string.Empty) >= MinKeyBytes, $"{prefix}:{nameof(key.Key)} must be at least {MinKeyBytes} bytes.");
            Check(key.Scopes.Length > 0 && key.Scopes.All(ApiScopes.All.Contains), $"{prefix}:{nameof(key.Scopes)} must list one or more of {string.Join(", ", ApiScopes.All)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(bool ok, string failure)
        {
            if (!ok)
            {
                failures.Add(failure);
            }
        }
    }
}
