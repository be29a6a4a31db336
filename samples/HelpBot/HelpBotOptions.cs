namespace Messaging.Samples.HelpBot;

/// <summary>The <c>HelpBot</c> section.</summary>
public sealed class HelpBotOptions
{
    public const string SectionName = "HelpBot";

    /// <summary>The rooms whose events the bot reads (none configured: <c>lobby</c>). Empty by default, because configuration adds to a list rather than replacing it.</summary>
    public string[] Rooms { get; set; } = [];

    /// <summary>The name the bot speaks as.</summary>
    public string Name { get; set; } = "helpbot";
}
