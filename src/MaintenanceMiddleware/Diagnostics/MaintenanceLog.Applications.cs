using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs about other applications this host talks to (gated clients, refused operations): event ids 90-99.</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(90, LogLevel.Information, "{Application} is in maintenance: the call {Method} {Path} was not sent.", EventName = "CallSkipped")]
    public static partial void CallSkipped(ILogger logger, string application, string method, string? path);

    [LoggerMessage(91, LogLevel.Warning, "{Application} went into maintenance: the call in flight {Method} {Path} was cancelled.", EventName = "CallAborted")]
    public static partial void CallAborted(ILogger logger, string application, string method, string? path);

    [LoggerMessage(92, LogLevel.Information, "{Application} is in maintenance: the operation {Method} {Path} was refused (409).", EventName = "OperationRefused")]
    public static partial void OperationRefused(ILogger logger, string application, string method, string? path);

    [LoggerMessage(93, LogLevel.Information, "The operation {Method} {Path} names the unknown application '{Application}' (404).", EventName = "UnknownApplication")]
    public static partial void UnknownApplication(ILogger logger, string application, string method, string? path);
}
