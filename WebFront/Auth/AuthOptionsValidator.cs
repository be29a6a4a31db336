using System.Text;
using Messaging.WebFront.Hosting;
using Microsoft.Extensions.Options;

namespace Messaging.WebFront.Auth;

internal sealed class AuthOptionsValidator(IOptions<FrontHostingOptions> hosting) : IValidateOptions<AuthOptions>
{
    public const int MinKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (options.SigningKey is null)
        {
            if (hosting.Value.Mode == HostingMode.Cluster)
            {
                failures.Add($"{AuthOptions.SectionName}:{nameof(options.SigningKey)} is required in cluster mode (at least {MinKeyBytes} bytes).");
            }
        }
        else if (Encoding.UTF8.GetByteCount(options.SigningKey) < MinKeyBytes)
        {
            failures.Add($"{AuthOptions.SectionName}:{nameof(options.SigningKey)} must be at least {MinKeyBytes} bytes.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > AuthOptions.MaxClockSkew)
        {
            failures.Add($"{AuthOptions.SectionName}:{nameof(options.ClockSkew)} must be between 0 and 30 seconds.");
        }

        foreach (var origin in options.AllowedOrigins)
        {
            if (origin != "*" && !Uri.TryCreate(origin, UriKind.Absolute, out _))
            {
                failures.Add($"{AuthOptions.SectionName}:{nameof(options.AllowedOrigins)} has '{origin}', which is not an absolute origin such as https://example.com.");
            }
        }

        if (options.DevTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{AuthOptions.SectionName}:{nameof(options.DevTokenLifetime)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
