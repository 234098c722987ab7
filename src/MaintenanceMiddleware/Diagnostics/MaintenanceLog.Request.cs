using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Request path logs (event ids 20-39): the page folder, assets, rejected requests.</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(20, LogLevel.Information, "Maintenance page loaded from '{Folder}' ({FileCount} files).", EventName = "PageLoaded")]
    public static partial void PageLoaded(ILogger logger, string folder, int fileCount);

    [LoggerMessage(21, LogLevel.Warning, "No maintenance page at '{Path}'; the built-in page is served until the file is added.", EventName = "PageMissing")]
    public static partial void PageMissing(ILogger logger, string path);

    [LoggerMessage(22, LogLevel.Warning, "The maintenance folder '{Folder}' could not be read; keeping the page loaded before.", EventName = "PageReloadFailed")]
    public static partial void PageReloadFailed(ILogger logger, string folder, Exception exception);

    [LoggerMessage(23, LogLevel.Warning, "'{File}' in the maintenance folder is not served: {Why}.", EventName = "AssetSkipped")]
    public static partial void AssetSkipped(ILogger logger, string file, string why);

    [LoggerMessage(35, LogLevel.Warning, "{Risk}", EventName = "ForwardedHeadersTrustEveryPeer")]
    public static partial void ForwardedHeadersTrustEveryPeer(ILogger logger, string risk);

    [LoggerMessage(26, LogLevel.Warning, "The maintenance page '{Path}' is empty; the built-in page is served until it has content.", EventName = "PageEmpty")]
    public static partial void PageEmpty(ILogger logger, string path);

    [LoggerMessage(24, LogLevel.Debug, "Maintenance response (503) for {Method} {Path}.", EventName = "RequestBlocked")]
    public static partial void RequestBlocked(ILogger logger, string method, string? path);
}
