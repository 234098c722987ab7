using MaintenanceMiddleware.State;
using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>Answers requests with the maintenance response while maintenance is in force. See DESIGN "the hot path".</summary>
internal sealed class MaintenanceModeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly MaintenanceStateMonitor _monitor;

    public MaintenanceModeMiddleware(RequestDelegate next, MaintenanceStateMonitor monitor)
    {
        _next = next;
        _monitor = monitor;
    }

    public Task Invoke(HttpContext context)
    {
        var snapshot = _monitor.Current;
        if (!snapshot.IsActive)
        {
            return _next(context);
        }

        return InvokeCore(context, snapshot);
    }

    // TODO(request path helper): exempt paths, read-only, allowlist, page/problem+json, assets.
    private static Task InvokeCore(HttpContext context, MaintenanceSnapshot snapshot)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsync(snapshot.Effective.Reason ?? "Maintenance");
    }
}
