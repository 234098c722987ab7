using System.Net;
using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// A WebSocket or server-sent-event request that began while maintenance was off: what deciding whether its visitor
/// is let through needs, read once when it began (so nothing reads the running request from another thread but <see cref="HttpContext.Abort"/>).
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
        BypassCookie = request.Cookies[MaintenanceModeMiddleware.BypassCookie];
    }

    public HttpContext Context { get; }

    public PathString Path { get; }

    public string Method { get; }

    public IPAddress? RemoteIpAddress { get; }

    public EndpointMetadataCollection? Metadata { get; }

    public string? BypassCookie { get; }

    /// <summary>Whether the middleware's cold path counts this request already (it began during a live bypass link before a window).</summary>
    public bool OnColdPath { get; init; }

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
