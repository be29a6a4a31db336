namespace Messaging.Hosting;

/// <summary>Start-up found a setting missing or wrong; the message names it.</summary>
public sealed class ConfigurationException(string message) : Exception(message)
{
    public ConfigurationException()
        : this("The configuration is not valid.")
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : this(message + " " + innerException.Message)
    {
    }

    /// <summary>Throws when <paramref name="failures"/> is not empty, with every failure in one message.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> failures)
    {
        if (failures.Count > 0)
        {
            throw new ConfigurationException("Invalid configuration: " + string.Join(" ", failures));
        }
    }
}
