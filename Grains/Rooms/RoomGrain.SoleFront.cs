using Messaging.Delivery;
using Microsoft.Extensions.Logging;

namespace Messaging.Rooms;

/// <summary>
/// A front delivers its own members' signals itself and passes them to the room only for the
/// other fronts. While it holds all the room's members there are none, so the room tells it so in
/// the join or renewal answer and the signal skips the grain call. A second front's join is
/// answered only after the first has confirmed it passes signals on again, so a joiner never
/// misses one; a grant is only ever given in an answer to the front's own call, so it cannot
/// overtake a later revocation on the way (the front drops a grant whose call a revocation crossed).
/// </summary>
internal sealed partial class RoomGrain
{
    // A front that does not confirm in this time is gone or cut off; it learns at its next renewal.
    private static readonly TimeSpan SoleFrontConfirmWait = TimeSpan.FromSeconds(2);

    private string? _soleFront;
    private Task? _soleFrontEnding;

    /// <summary>After <paramref name="frontId"/> joined or renewed: whether it is now the only front with members.</summary>
    private async Task<bool> SettleSoleFrontAsync(string frontId)
    {
        // A room with a kind takes every signal itself.
        if (_kind is not null)
        {
            return false;
        }

        if (_soleFront is { } sole && sole != frontId && _fronts.TryGetValue(sole, out var soleSubscription))
        {
            _soleFront = null;
            _soleFrontEnding = EndSoleFrontAsync(sole, soleSubscription.Observer);
        }

        // Reentrant: every answer given while a sole front is being told waits for its confirmation.
        if (_soleFrontEnding is { IsCompleted: false } ending)
        {
            await ending.ConfigureAwait(true);
        }

        if (_fronts.Count == 1 && _fronts.ContainsKey(frontId))
        {
            _soleFront = frontId;
            return true;
        }

        return false;
    }

    private async Task EndSoleFrontAsync(string frontId, IRoomObserver observer)
    {
        try
        {
            await observer.OnSoleFrontEndedAsync(Room).WaitAsync(SoleFrontConfirmWait).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            LogSoleFrontNotConfirmed(ex, Room, frontId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: front {FrontId} did not confirm it passes signals on again; it will at its next renewal.")]
    private partial void LogSoleFrontNotConfirmed(Exception exception, string room, string frontId);
}
