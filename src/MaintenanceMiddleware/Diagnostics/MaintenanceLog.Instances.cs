using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs about this instance's reports to the store and about waiting for instances: event ids 110-119.</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(110, LogLevel.Information, "This instance reports to the store as '{InstanceId}' ({Application}) every {Interval}.", EventName = "InstanceRegistered")]
    public static partial void InstanceRegistered(ILogger logger, string instanceId, string application, TimeSpan interval);

    [LoggerMessage(111, LogLevel.Error, "Another live process (session {OtherSession}, host {OtherHost}, pid {OtherPid}) already reports as '{InstanceId}': this one reports as '{UsedId}' instead. Give each instance its own MaintenanceMode:InstanceId.", EventName = "DuplicateInstanceId")]
    public static partial void DuplicateInstanceId(ILogger logger, string instanceId, string otherSession, string otherHost, int otherPid, string usedId);

    [LoggerMessage(112, LogLevel.Warning, "This instance could not report to the store; --wait cannot confirm it until it can. Retrying every heartbeat.", EventName = "InstanceReportFailed")]
    public static partial void InstanceReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(113, LogLevel.Information, "This instance reports to the store again.", EventName = "InstanceReportRecovered")]
    public static partial void InstanceReportRecovered(ILogger logger);

    [LoggerMessage(114, LogLevel.Warning, "The state store ({StoreType}) keeps no instance registry: this instance is not listed by 'maintenance instances', and --wait cannot confirm it.", EventName = "NoInstanceRegistry")]
    public static partial void NoInstanceRegistry(ILogger logger, string storeType);

    [LoggerMessage(115, LogLevel.Warning, "An instance entry could not be read and is ignored: {Entry}", EventName = "InstanceEntryUnreadable")]
    public static partial void InstanceEntryUnreadable(ILogger logger, string entry);
}
