namespace Messaging.IntegrationTests.Infrastructure;

/// <summary>Front configurations that several test classes share.</summary>
public static class FrontSettings
{
    /// <summary>A command rate far above a person's, for tests whose clients send in bulk.</summary>
    public static readonly IReadOnlyDictionary<string, string> HighCommandRate = new Dictionary<string, string>
    {
        ["Limits__CommandsPerSecond"] = "5000",
        ["Limits__CommandBurst"] = "5000",
    };
}
