using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Page template and localization logs (request range, event ids 30-32).</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(30, LogLevel.Warning, "'{File}' uses the unknown placeholder '{Placeholder}'; it is left as written. Known: {{{{message}}}}, {{{{ends_at}}}}, {{{{retry_after_seconds}}}}, {{{{application}}}}.", EventName = "UnknownPlaceholder")]
    public static partial void UnknownPlaceholder(ILogger logger, string file, string placeholder);

    [LoggerMessage(31, LogLevel.Warning, "The folder '{Folder}' beside the maintenance page holds an index.html but '{Folder}' is not a culture name (such as 'de' or 'fr-CH'); it is not used as a localized page (its files are still served as assets).", EventName = "NotACulture")]
    public static partial void NotACulture(ILogger logger, string folder);

    [LoggerMessage(32, LogLevel.Information, "Localized maintenance pages: {Cultures}.", EventName = "LocalizedPagesLoaded")]
    public static partial void LocalizedPagesLoaded(ILogger logger, string cultures);
}
