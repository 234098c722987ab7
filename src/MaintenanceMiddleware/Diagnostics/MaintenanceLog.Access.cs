using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs of the access rules: the allowlist (event ids 80-89).</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(80, LogLevel.Warning, "{Key} ({Network}) lets every {Family} address through: during maintenance no visitor on {Family} sees the maintenance page. List the networks to let through instead.", EventName = "AllowListAdmitsEveryone")]
    public static partial void AllowListAdmitsEveryone(ILogger logger, string key, string network, string family);
}
