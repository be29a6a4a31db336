namespace Messaging.Operations;

/// <summary>
/// <c>Dashboard</c>: the Orleans Dashboard at <c>/dashboard</c> of the silo's HTTP port, behind
/// HTTP Basic authentication. Off by default: its grain-call profiler costs CPU on every call.
/// </summary>
public sealed class MessagingDashboardOptions
{
    public const string SectionName = "Dashboard";

    public const int MinPasswordLength = 16;

    public bool Enabled { get; set; }

    public string User { get; set; } = "ops";

    /// <summary>Required when enabled, at least 16 characters; from a secret, never from appsettings.</summary>
    public string? Password { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (!Enabled)
        {
            return failures;
        }

        if (string.IsNullOrWhiteSpace(User) || User.Contains(':', StringComparison.Ordinal))
        {
            failures.Add($"{SectionName}:{nameof(User)} must be a non-empty name without ':'.");
        }

        if (Password is null || Password.Length < MinPasswordLength)
        {
            failures.Add($"{SectionName}:{nameof(Password)} is required with {SectionName}:{nameof(Enabled)}=true and must be at least {MinPasswordLength} characters.");
        }

        return failures;
    }
}
