using Microsoft.Extensions.Logging;

namespace BackOffice.Sync;

/// <summary>The catalogue synchronisation's logs.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(EventId = 1000, EventName = "SyncPaused", Level = LogLevel.Information, Message = "Catalogue sync paused: maintenance is in force. Waiting for it to end.")]
    public static partial void Paused(ILogger logger);

    [LoggerMessage(EventId = 1001, EventName = "SyncResumed", Level = LogLevel.Information, Message = "Maintenance ended: catalogue sync resumes with a full resynchronisation.")]
    public static partial void Resumed(ILogger logger);

    [LoggerMessage(EventId = 1002, EventName = "SyncAborted", Level = LogLevel.Warning, Message = "Maintenance began: the {Kind} catalogue sync in flight was aborted after {Pages} page(s).")]
    public static partial void Aborted(ILogger logger, string kind, int pages);

    [LoggerMessage(EventId = 1003, EventName = "FullSyncCompleted", Level = LogLevel.Information, Message = "Full catalogue sync completed: {Items} item(s) from {Pages} page(s).")]
    public static partial void FullSyncCompleted(ILogger logger, int items, int pages);

    [LoggerMessage(EventId = 1004, EventName = "IncrementalSyncCompleted", Level = LogLevel.Debug, Message = "Incremental catalogue sync completed: {Items} change(s).")]
    public static partial void IncrementalSyncCompleted(ILogger logger, int items);

    [LoggerMessage(EventId = 1005, EventName = "SyncFailed", Level = LogLevel.Error, Message = "Catalogue sync failed; retrying with a full sync after {Delay}.")]
    public static partial void Failed(ILogger logger, TimeSpan delay, Exception exception);
}
