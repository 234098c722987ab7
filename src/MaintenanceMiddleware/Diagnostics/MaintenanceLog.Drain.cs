using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs of the drain after maintenance starts (event ids 130-139).</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(130, LogLevel.Information, "Drained: the requests in flight when maintenance started have finished.", EventName = "Drained")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(131, LogLevel.Warning, "The drain timeout ({DrainTimeout}) passed with up to {InFlight} request(s) from before maintenance still running; {Aborted} long-lived connection(s) (WebSocket, server-sent events) of visitors who are not let through were closed (MaintenanceMode:DrainTimeout).", EventName = "DrainTimedOut")]
    public static partial void DrainTimedOut(ILogger logger, TimeSpan drainTimeout, int inFlight, int aborted);
}
