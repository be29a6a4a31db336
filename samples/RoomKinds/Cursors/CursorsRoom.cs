using System.Text.Json;
using Messaging.Rooms.Kinds;

namespace Messaging.Samples.Cursors;

/// <summary>Shared cursors: many position updates in, one coalesced state frame per tick out.</summary>
public sealed class CursorsRoom : RoomKind
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, Position> _positions = new(StringComparer.Ordinal);
    private bool _moved;

    public override TimeSpan? TickPeriod => TimeSpan.FromMilliseconds(50);

    public override ValueTask<bool> OnSignalAsync(string user, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("x", out var x) && x.TryGetDouble(out var px)
                && root.TryGetProperty("y", out var y) && y.TryGetDouble(out var py))
            {
                // Signals are not ordered end to end: `t` (rising per member) keeps an older update
                // that arrives late from moving the cursor back.
                var t = root.TryGetProperty("t", out var stamp) && stamp.TryGetInt64(out var value) ? value : long.MaxValue;
                if (!_positions.TryGetValue(user, out var known) || t == long.MaxValue || t > known.T)
                {
                    _positions[user] = new Position(px, py, t == long.MaxValue ? 0 : t);
                    _moved = true;
                }
            }
        }
        catch (JsonException)
        {
            // Not a position: ignored, like any other stray signal here.
        }

        // Never passed on as is: the tick sends the coalesced state.
        return new(false);
    }

    public override ValueTask OnTickAsync()
    {
        foreach (var gone in _positions.Keys.Where(user => !Room.Online.Contains(user)).ToList())
        {
            _positions.Remove(gone);
            _moved = true;
        }

        if (_moved)
        {
            _moved = false;
            Room.Broadcast(JsonSerializer.Serialize(new { cursors = _positions }, Json));
        }

        return ValueTask.CompletedTask;
    }

    private sealed record Position(double X, double Y, [property: System.Text.Json.Serialization.JsonIgnore] long T);
}
