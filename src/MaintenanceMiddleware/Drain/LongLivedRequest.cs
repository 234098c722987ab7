using System.Net;
using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// A WebSocket or server-sent-event request that began while maintenance was off: what deciding whether its visitor
/// is let through needs, read once when it is registered (reads only: the application may be running it on another
/// thread), so that later nothing touches the request but <see cref="HttpContext.Abort"/>.
/// </summary>
internal sealed class LongLivedRequest
{
    public LongLivedRequest(HttpContext context)
    {
        Context = context;
        var request = context.Request;
        Path = request.Path;
        Method = request.Method;
        RemoteIpAddress = context.Connection.RemoteIpAddress;
        Metadata = context.GetEndpoint()?.Metadata;
        BypassCookie = FindCookie(request.Headers.Cookie, MaintenanceModeMiddleware.BypassCookie);
    }

    public HttpContext Context { get; }

    public PathString Path { get; }

    public string Method { get; }

    public IPAddress? RemoteIpAddress { get; }

    public EndpointMetadataCollection? Metadata { get; }

    public string? BypassCookie { get; }

    /// <summary>Whether the middleware's cold path counts this request already (it began during a live bypass link before a window).</summary>
    public bool OnColdPath { get; init; }

    /// <summary>
    /// The value of cookie <paramref name="name"/> from the raw <c>Cookie</c> header: read without
    /// <see cref="HttpRequest.Cookies"/>, which would add a feature to a request the application may be using on another thread.
    /// </summary>
    internal static string? FindCookie(Microsoft.Extensions.Primitives.StringValues header, string name)
    {
        foreach (var line in header)
        {
            foreach (var range in line.AsSpan().Split(';'))
            {
                var pair = line.AsSpan(range).Trim();
                if (pair.Length > name.Length && pair[name.Length] == '=' && pair.StartsWith(name, StringComparison.Ordinal))
                {
                    return Uri.UnescapeDataString(pair[(name.Length + 1)..].Trim('"').ToString());
                }
            }
        }

        return null;
    }

    /// <summary>Decided when this application's maintenance started: kept (let through) or ended at the drain timeout.</summary>
    public LongLivedFate Fate { get; set; }
}

/// <summary>What happens to a long-lived request once maintenance has started.</summary>
internal enum LongLivedFate
{
    /// <summary>Maintenance is off: nothing decided.</summary>
    Undecided,

    /// <summary>Its visitor is let through (allowlist, bypass cookie, exempt or <c>AllowDuringMaintenance</c> endpoint, read-only GET): it stays open.</summary>
    Kept,

    /// <summary>Its visitor is not let through: it is ended when the drain timeout passes.</summary>
    Doomed,
}
