using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>Logs of bypass links and of clients that are not browsers (event ids 100-119).</summary>
internal static partial class MaintenanceLog
{
    [LoggerMessage(100, LogLevel.Warning, "The sign-in callback '{Path}' of the authentication scheme '{Scheme}' is blocked during maintenance: a sign-in that returns there gets the maintenance page. To keep it open, add it to the exempt paths ({Key}={Path}){Keep}.", EventName = "RemoteCallbackBlocked")]
    public static partial void RemoteCallbackBlocked(ILogger logger, string path, string scheme, string key, string keep);

    [LoggerMessage(101, LogLevel.Information, "{Action} for '{Application}' by {Actor} from {Source} (version {Version}): {Reason}", EventName = "BypassLinkChanged")]
    public static partial void BypassLinkChanged(ILogger logger, MaintenanceAction action, string application, string actor, string source, long version, string reason);

    [LoggerMessage(102, LogLevel.Information, "Bypass link '{Id}' ({Name}) opened; the visitor now passes maintenance until {ExpiresAt}.", EventName = "BypassLinkOpened")]
    public static partial void BypassLinkOpened(ILogger logger, string id, string name, DateTimeOffset expiresAt);

    [LoggerMessage(103, LogLevel.Information, "A bypass link with id '{Id}' was refused (unknown, revoked, expired or a wrong token); the maintenance page is shown.", EventName = "BypassLinkRefused")]
    public static partial void BypassLinkRefused(ILogger logger, string id);

    [LoggerMessage(104, LogLevel.Warning, "The first use of bypass link '{Id}' could not be recorded in the audit trail; it is tried again when the link is next opened.", EventName = "BypassUseNotRecorded")]
    public static partial void BypassUseNotRecorded(ILogger logger, string id, Exception exception);

    [LoggerMessage(105, LogLevel.Debug, "The return address of a bypass link is not a local path; redirecting to '/' instead.", EventName = "BypassReturnIgnored")]
    public static partial void BypassReturnIgnored(ILogger logger);
}
