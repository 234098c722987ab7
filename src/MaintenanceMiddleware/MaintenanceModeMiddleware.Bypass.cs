using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>Bypass links on the request path (cold path only): opening a link, and the cookie it sets.</summary>
internal sealed partial class MaintenanceModeMiddleware
{
    /// <summary>The cookie that carries <c>{id}.{token}</c> after a link was opened.</summary>
    internal const string BypassCookie = ".MaintenanceBypass";

    private static readonly System.Buffers.SearchValues<char> s_idChars = System.Buffers.SearchValues.Create("0123456789abcdef");

    private static readonly PathString s_passPath = new(MaintenanceBypassLinkCreated.PathPrefix.TrimEnd('/'));

    /// <summary>Whether the request carries a bypass cookie for a live link of this snapshot.</summary>
    private bool HasBypassCookie(HttpContext context, MaintenanceSnapshot snapshot) =>
        !snapshot.BypassLinks.IsEmpty
        && context.Request.Cookies[BypassCookie] is { Length: > 0 } credential
        && snapshot.BypassLinks.TryVerify(credential, _time.GetUtcNow(), out _);

    /// <summary>
    /// <c>GET /_maintenance/pass/{id}.{token}</c>: a live link sets the cookie and redirects to <c>/</c> or to a local
    /// <c>?return=</c> path; anything else gets the maintenance page (or, outside maintenance, just the site).
    /// </summary>
    private Task OpenBypassLink(HttpContext context, MaintenanceSnapshot snapshot, string credential)
    {
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        if (credential.Contains('/', StringComparison.Ordinal) || !snapshot.BypassLinks.TryVerify(credential, _time.GetUtcNow(), out var link) || link is null)
        {
            // Only the id part, and only when it is shaped like an id: whatever follows it may be a token.
            var dot = credential.IndexOf('.', StringComparison.Ordinal);
            var id = dot is > 0 and <= BypassLinkSet.IdChars && credential.AsSpan(0, dot).ContainsAnyExcept(s_idChars) is false ? credential[..dot] : "(malformed)";
            MaintenanceLog.BypassLinkRefused(_logger, id);
            if (snapshot.IsActive)
            {
                var json = ResponseNegotiation.PrefersJson(context.Request.Headers.Accept);
                _metrics.Blocked(json);
                return _writer.WriteMaintenanceAsync(context, snapshot, json);
            }

            response.Redirect("/");
            return Task.CompletedTask;
        }

        response.Cookies.Append(BypassCookie, credential, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            Expires = link.ExpiresAt,
            IsEssential = true,
        });
        MaintenanceLog.BypassLinkOpened(_logger, link.Id, link.Name, link.ExpiresAt);
        _bypassUse.Opened(link, ClientAddress(context));
        response.Redirect(ReturnPath(context.Request.Query["return"].ToString()));
        return Task.CompletedTask;
    }

    /// <summary>
    /// A local path to return to: starts with one '/' (not '//' or '/\', which browsers read as another host), no
    /// control characters; anything else (an absolute URL, another host) is replaced by '/'.
    /// </summary>
    internal static string? LocalPathOrNull(string value) =>
        value is { Length: > 0 and <= 2048 } && value[0] == '/' && (value.Length == 1 || (value[1] != '/' && value[1] != '\\'))
        && MaintenanceText.IndexOfRefused(value) < 0 && !value.Contains('\\', StringComparison.Ordinal)
            ? value
            : null;

    private string ReturnPath(string value)
    {
        if (value.Length == 0)
        {
            return "/";
        }

        if (LocalPathOrNull(value) is { } local)
        {
            return local;
        }

        MaintenanceLog.BypassReturnIgnored(_logger);
        return "/";
    }

    private static string ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        return address?.ToString() ?? "unknown";
    }
}
