using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// The drain on the request path (Drain/RequestDrain.cs): long-lived requests (WebSocket upgrades, server-sent-event
/// streams) are registered while maintenance is off, once the pipeline has returned without finishing them (a request
/// that completes synchronously costs one more branch), and requests on the cold path are counted. docs/benchmarks.md section 6.
/// </summary>
internal sealed partial class MaintenanceModeMiddleware
{
    private const string EventStream = "text/event-stream";

    /// <summary>
    /// Whether a request may stay open for long: an HTTP/1.1 upgrade (<c>Upgrade</c> header: WebSocket), an HTTP/2 or
    /// HTTP/3 extended <c>CONNECT</c> (WebSocket), or <c>Accept: text/event-stream</c> first (what <c>EventSource</c> sends).
    /// Two header reads and a method compare, for requests that did not complete synchronously only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool IsLongLived(HttpRequest request)
    {
        // Accept first: nearly every request has one, and rejecting it takes a character or two.
        var headers = request.Headers;
        var accept = headers.Accept;
        return (accept.Count != 0 && accept[0] is { } first && first.StartsWith(EventStream, StringComparison.OrdinalIgnoreCase))
            || headers.Upgrade.Count != 0
            || HttpMethods.IsConnect(request.Method);
    }

    /// <summary>
    /// Whether the visitor of a long-lived request is let through during the maintenance of <paramref name="snapshot"/>:
    /// the cold path's rules in its order (<see cref="InvokeCore"/>), for a request that began before the switch.
    /// </summary>
    internal static bool LetsThrough(MaintenanceSnapshot snapshot, LongLivedRequest request, DateTimeOffset now)
    {
        if (!snapshot.IsActive)
        {
            return true;
        }

        var metadata = request.Metadata;
        if (metadata?.GetMetadata<DisabledDuringMaintenanceAttribute>() is not null)
        {
            return false;
        }

        return IsExempt(request.Path, snapshot.Options.ExemptPaths)
            || metadata?.GetMetadata<AllowDuringMaintenanceAttribute>() is not null
            || (snapshot.Mode == MaintenanceMode.ReadOnly && IsSafe(request.Method))
            || snapshot.AllowList.Contains(request.RemoteIpAddress)
            || (request.BypassCookie is { Length: > 0 } credential && !snapshot.BypassLinks.IsEmpty && snapshot.BypassLinks.TryVerify(credential, now, out _));
    }

    /// <summary>
    /// A request the rest of the pipeline has not finished synchronously: if it is a WebSocket or an event stream, the
    /// drain registers it until <paramref name="running"/> completes. The request is still ours (hosting awaits the
    /// task this returns), so its headers are safe to read.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Task WatchLongLived(HttpContext context, Task running, bool onColdPath) =>
        IsLongLived(context.Request) ? _drain.LongLived.Track(context, running, onColdPath) : running;

    /// <summary>The cold path, counted while it runs (the drain subtracts these from the requests in flight).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Task InvokeCounted(HttpContext context, MaintenanceSnapshot snapshot)
    {
        _drain.ColdPathEntered();
        Task task;
        try
        {
            task = InvokeCore(context, snapshot);
        }
        catch
        {
            _drain.ColdPathLeft();
            throw;
        }

        return _drain.LeaveColdPathWhenDone(task);
    }
}
