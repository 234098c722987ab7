using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs of the control surface: the service, the HTTP endpoints and the API-key scheme (event ids 60-79).</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(60, LogLevel.Warning, "Maintenance enabled for '{Application}' by {Actor} from {Source} (version {Version}, starts {StartsAt}, ends {EndsAt}): {Reason}", EventName = "MaintenanceEnabled")]
    public static partial void MaintenanceEnabled(ILogger logger, string application, string actor, string source, long version, DateTimeOffset? startsAt, DateTimeOffset? endsAt, string reason);

    [LoggerMessage(61, LogLevel.Warning, "Maintenance disabled for '{Application}' by {Actor} from {Source} (version {Version}): {Reason}", EventName = "MaintenanceDisabled")]
    public static partial void MaintenanceDisabled(ILogger logger, string application, string actor, string source, long version, string reason);

    [LoggerMessage(62, LogLevel.Information, "A maintenance change to '{Application}' by {Actor} lost a race (expected version {ExpectedVersion}, found {ActualVersion}); nothing was written.", EventName = "ChangeConflict")]
    public static partial void ChangeConflict(ILogger logger, string application, string actor, long expectedVersion, long actualVersion);

    [LoggerMessage(63, LogLevel.Information, "A maintenance request was refused: {Field}: {Error}", EventName = "RequestInvalid")]
    public static partial void RequestInvalid(ILogger logger, string field, string error);

    [LoggerMessage(64, LogLevel.Error, "The maintenance state store failed while serving {Endpoint}.", EventName = "EndpointStoreFailed")]
    public static partial void EndpointStoreFailed(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(65, LogLevel.Information, "Maintenance API key authentication failed: {Failure}", EventName = "ApiKeyRejected")]
    public static partial void ApiKeyRejected(ILogger logger, string failure);

    [LoggerMessage(66, LogLevel.Debug, "Maintenance API key '{KeyName}' authenticated.", EventName = "ApiKeyAccepted")]
    public static partial void ApiKeyAccepted(ILogger logger, string keyName);

    internal static void Changed(ILogger logger, MaintenanceAuditEntry entry)
    {
        if (entry.Action == MaintenanceAction.Enable)
        {
            MaintenanceEnabled(logger, entry.Application, entry.Actor, entry.Source, entry.After.Version, entry.After.StartsAt, entry.After.EndsAt, entry.Reason);
        }
        else if (entry.Action != MaintenanceAction.Disable)
        {
            BypassLinkChanged(logger, entry.Action, entry.Application, entry.Actor, entry.Source, entry.After.Version, entry.Reason);
        }
        else
        {
            MaintenanceDisabled(logger, entry.Application, entry.Actor, entry.Source, entry.After.Version, entry.Reason);
        }
    }
}
