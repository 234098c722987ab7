using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>Answers requests with the maintenance response while maintenance is in force. See docs/architecture.md, "The request path".</summary>
internal sealed class MaintenanceModeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly MaintenanceStateMonitor _monitor;
    private readonly MaintenanceResponseWriter _writer;
    private readonly MaintenanceNotice _notice;
    private readonly MaintenanceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly PathString _assetsPath;

    public MaintenanceModeMiddleware(
        RequestDelegate next,
        MaintenanceStateMonitor monitor,
        MaintenanceResponseWriter writer,
        MaintenanceNotice notice,
        MaintenanceMetrics metrics,
        IOptions<MaintenanceModeOptions> options,
        ILogger<MaintenanceModeMiddleware> logger)
    {
        _next = next;
        _monitor = monitor;
        _writer = writer;
        _notice = notice;
        _metrics = metrics;
        _logger = logger;
        _assetsPath = new PathString(options.Value.AssetsPath);
    }

    // The hot path: one volatile read and a branch when maintenance is off. No clock, no lock, no allocation.
    public Task Invoke(HttpContext context)
    {
        var snapshot = _monitor.Current;
        if (!snapshot.IsActive)
        {
            return _next(context);
        }

        return InvokeCore(context, snapshot);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Task InvokeCore(HttpContext context, MaintenanceSnapshot snapshot)
    {
        // The notice answers during maintenance too (when off, a routed endpoint answers it: no cost on the hot path).
        if (_notice.TryHandle(context, out var notice))
        {
            return notice;
        }

        var request = context.Request;
        var metadata = context.GetEndpoint()?.Metadata;
        var disabled = metadata?.GetMetadata<DisabledDuringMaintenanceAttribute>() is not null;

        if (!disabled && (IsExempt(request.Path, snapshot.Options.ExemptPaths) || metadata?.GetMetadata<AllowDuringMaintenanceAttribute>() is not null))
        {
            return PassThrough(context, MaintenanceMetrics.AllowedBy.Exempt);
        }

        if (request.Path.StartsWithSegments(_assetsPath, out var rest) && rest.Value is { Length: > 1 } asset
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return _writer.WriteAssetAsync(context, asset.AsSpan(1));
        }

        if (!disabled && snapshot.Mode == MaintenanceMode.ReadOnly && IsSafe(request.Method))
        {
            return PassThrough(context, MaintenanceMetrics.AllowedBy.ReadOnly);
        }

        // The client IP is the connection's and nothing else: trusting X-Forwarded-For is UseForwardedHeaders' job.
        if (!disabled && snapshot.AllowList.Contains(context.Connection.RemoteIpAddress))
        {
            return PassThrough(context, MaintenanceMetrics.AllowedBy.AllowList);
        }

        var json = ResponseNegotiation.PrefersJson(request.Headers.Accept);
        _metrics.Blocked(json);
        MaintenanceLog.RequestBlocked(_logger, request.Method, request.Path.Value);
        return _writer.WriteMaintenanceAsync(context, snapshot, json);
    }

    private Task PassThrough(HttpContext context, string allowedBy)
    {
        _metrics.Allowed(allowedBy);
        return _next(context);
    }

    private static bool IsExempt(PathString path, PathString[] exemptPaths)
    {
        foreach (var prefix in exemptPaths)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
}
