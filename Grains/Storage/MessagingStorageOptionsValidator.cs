using Microsoft.Extensions.Options;

namespace Messaging.Storage;

internal sealed class MessagingStorageOptionsValidator : IValidateOptions<MessagingStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingStorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail($"{options.ConnectionStringSetting} is required: a {options.Provider} connection string.");
        }

        try
        {
            _ = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail($"{options.ConnectionStringSetting} is not a valid connection string.");
        }

        if (options.StartupTimeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail($"{nameof(MessagingStorageOptions)}.{nameof(options.StartupTimeout)} must be positive.");
        }

        return ValidateOptionsResult.Success;
    }
}
