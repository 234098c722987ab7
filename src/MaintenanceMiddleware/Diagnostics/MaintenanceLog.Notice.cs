using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs of bypass links and of clients that are not browsers (event ids 100-119).</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(100, LogLevel.Warning, "The sign-in callback '{Path}' of the authentication scheme '{Scheme}' is blocked during maintenance: a sign-in that returns there gets the maintenance page. To keep it open, add it to the exempt paths ({Key}={Path}){Keep}.", EventName = "RemoteCallbackBlocked")]
    public static partial void RemoteCallbackBlocked(ILogger logger, string path, string scheme, string key, string keep);
}
