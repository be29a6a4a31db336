namespace Messaging.Samples.WordFilter;

/// <summary>The <c>WordFilter</c> section.</summary>
public sealed class WordFilterOptions
{
    public const string SectionName = "WordFilter";

    public string[] Words { get; set; } = ["darn", "heck"];
}
