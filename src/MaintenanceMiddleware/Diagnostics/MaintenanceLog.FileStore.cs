using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs of the file state store (event ids 40-59).</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(40, LogLevel.Warning, "Cannot watch '{Directory}' for changes to the maintenance state (or instance) files; polling every {Interval} instead.", EventName = "FileWatcherUnavailable")]
    public static partial void FileWatcherUnavailable(ILogger logger, string directory, TimeSpan interval, Exception exception);

    [LoggerMessage(41, LogLevel.Warning, "The file watcher on '{Directory}' reported an error; the files are re-read and polling continues.", EventName = "FileWatcherError")]
    public static partial void FileWatcherError(ILogger logger, string directory, Exception exception);

    [LoggerMessage(42, LogLevel.Warning, "Skipped line {Line} of the maintenance audit file '{Path}': it is not a valid audit entry.", EventName = "AuditLineCorrupt")]
    public static partial void AuditLineCorrupt(ILogger logger, int line, string path, Exception? exception);

    [LoggerMessage(43, LogLevel.Information, "Maintenance state of '{Application}' written to '{Path}' (version {Version}).", EventName = "FileStateSaved")]
    public static partial void FileStateSaved(ILogger logger, string application, string path, long version);

    [LoggerMessage(44, LogLevel.Error, "Appending to the maintenance audit file '{Path}' failed; the state file was left unchanged and the change was refused.", EventName = "AuditAppendFailed")]
    public static partial void AuditAppendFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(45, LogLevel.Critical, "Replacing the maintenance state file failed after its entry was appended to the audit file '{Path}', and taking that entry back also failed: the audit trail records a change that was not made.", EventName = "AuditRollbackFailed")]
    public static partial void AuditRollbackFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(46, LogLevel.Debug, "Could not delete the temporary file '{Path}'.", EventName = "TempFileNotDeleted")]
    public static partial void TempFileNotDeleted(ILogger logger, string path, Exception exception);

    [LoggerMessage(47, LogLevel.Error, "Refusing to write maintenance state: the state file '{Path}' is corrupt and is kept for inspection.", EventName = "RefusingToOverwriteCorruptFile")]
    public static partial void RefusingToOverwriteCorruptFile(ILogger logger, string path);

    [LoggerMessage(48, LogLevel.Warning, "The maintenance state file '{Path}' had vanished; it is written again from the last audited state of {Count} application(s) and this change.", EventName = "StateFileRecreated")]
    public static partial void StateFileRecreated(ILogger logger, string path, int count);

    [LoggerMessage(49, LogLevel.Information, "Deleted the file '{Path}' of instance '{InstanceId}': its last report, at {LastHeartbeat}, is {Age} old, so the instance is long gone.", EventName = "InstanceFilePruned")]
    public static partial void InstanceFilePruned(ILogger logger, string instanceId, string path, DateTimeOffset lastHeartbeat, TimeSpan age);
}
