using System.Text.Json;

namespace Messaging.Bench;

/// <summary>Reads the load tool's own body, <c>{"t":ticks,"s":publisher,"n":number,"p":"padding"}</c>.</summary>
internal static class BodyReader
{
    /// <summary>Reads the object the reader is positioned on (StartObject) and leaves it on its EndObject.</summary>
    public static (long Ticks, int Publisher, int Number) Read(ref Utf8JsonReader reader)
    {
        long ticks = 0;
        int publisher = -1, number = -1;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("t"u8))
            {
                reader.Read();
                ticks = reader.GetInt64();
            }
            else if (reader.ValueTextEquals("s"u8))
            {
                reader.Read();
                publisher = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("n"u8))
            {
                reader.Read();
                number = reader.GetInt32();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (ticks, publisher, number);
    }
}
