using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Logs of the maintenance middleware. One partial file per area, each with its own event id range:
/// state monitor 1-19, request path 20-39, file store 40-59, control (service, endpoints, hooks) 60-79, access (allowlist) 80-89.
/// </summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(1, LogLevel.Information, "Maintenance state loaded for application '{Application}': active={IsActive}, reason='{Reason}'.", EventName = "StateLoaded")]
    public static partial void StateLoaded(ILogger logger, string application, bool isActive, string? reason);

    [LoggerMessage(2, LogLevel.Warning, "Maintenance began for application '{Application}' (scope '{Scope}', mode {Mode}): {Reason}", EventName = "MaintenanceStarted")]
    public static partial void MaintenanceStarted(ILogger logger, string application, string scope, MaintenanceMode mode, string? reason);

    [LoggerMessage(3, LogLevel.Warning, "Maintenance ended for application '{Application}'.", EventName = "MaintenanceEnded")]
    public static partial void MaintenanceEnded(ILogger logger, string application);

    [LoggerMessage(4, LogLevel.Error, "The maintenance state store could not be read; keeping the last known state (active={IsActive}) and retrying.", EventName = "StoreUnavailable")]
    public static partial void StoreUnavailable(ILogger logger, bool isActive, Exception exception);

    [LoggerMessage(5, LogLevel.Information, "The maintenance state store answers again.", EventName = "StoreRecovered")]
    public static partial void StoreRecovered(ILogger logger);

    [LoggerMessage(6, LogLevel.Warning, "The maintenance state store {Failure} at start-up; starting with maintenance {Fallback} and converging once it answers.", EventName = "StartupFallback")]
    public static partial void StartupFallback(ILogger logger, string failure, string fallback, Exception? exception);

    [LoggerMessage(7, LogLevel.Error, "Watching the maintenance state store failed; restarting the watch in {Delay}.", EventName = "WatchFailed")]
    public static partial void WatchFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(8, LogLevel.Error, "A maintenance observer ({Observer}) failed in {Hook}.", EventName = "ObserverFailed")]
    public static partial void ObserverFailed(ILogger logger, string observer, string hook, Exception exception);

    [LoggerMessage(9, LogLevel.Warning, "Maintenance is forced on by configuration (MaintenanceMode:Enabled=true) for application '{Application}'.", EventName = "ForcedByConfiguration")]
    public static partial void ForcedByConfiguration(ILogger logger, string application);

    [LoggerMessage(10, LogLevel.Error, "A callback registered on IMaintenanceModeGate.MaintenanceStartedToken failed.", EventName = "GateCallbackFailed")]
    public static partial void GateCallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(11, LogLevel.Information, "MaintenanceMode options reloaded from configuration: {Changed} changed.", EventName = "OptionsReloaded")]
    public static partial void OptionsReloaded(ILogger logger, string changed);

    [LoggerMessage(12, LogLevel.Error, "The edited MaintenanceMode configuration is invalid and was not applied; the last valid options stay in force. {Failures}", EventName = "OptionsReloadRejected")]
    public static partial void OptionsReloadRejected(ILogger logger, string failures);

    [LoggerMessage(13, LogLevel.Warning, "{Keys} changed in configuration; read at start-up only, the change takes effect after a restart.", EventName = "OptionsNeedRestart")]
    public static partial void OptionsNeedRestart(ILogger logger, string keys);
}
