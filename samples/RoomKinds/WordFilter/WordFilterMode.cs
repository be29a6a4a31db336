namespace Messaging.Samples.WordFilter;

public enum WordFilterMode
{
    /// <summary>Store the message with the words replaced by asterisks.</summary>
    Mask,

    /// <summary>Refuse the message; nothing is stored.</summary>
    Refuse,
}
