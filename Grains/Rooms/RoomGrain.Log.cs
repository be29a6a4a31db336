using Microsoft.Extensions.Logging;

namespace Messaging.Rooms;

internal sealed partial class RoomGrain
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: seq taken by another writer (attempt {Attempt}); reloading the last seq.")]
    private partial void LogSeqConflict(string room, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: storage unavailable.")]
    private partial void LogStorageUnavailable(Exception exception, string room);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {Room}: push to front {FrontId} failed.")]
    private partial void LogPushFailed(Exception exception, string room, string frontId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {Room}: front {FrontId} lease lapsed; dropped.")]
    private partial void LogFrontExpired(string room, string frontId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {Room}: front {FrontId} subscribed again by renewal.")]
    private partial void LogFrontResubscribed(string room, string frontId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Room {Room}: the moderation action {Action} took effect but could not be recorded.")]
    private partial void LogModerationNotRecorded(Exception exception, string room, string action);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Room {Room}: silo shutting down; {Fronts} fronts asked to renew elsewhere.")]
    private partial void LogHandingOff(string room, int fronts);
}
