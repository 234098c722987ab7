using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>Answers requests with the maintenance response while maintenance is in force. See docs/architecture.md, "The request path".</summary>
internal sealed partial class MaintenanceModeMiddleware
{
    private readonly RequestDelegate _next;
    private readonly MaintenanceStateMonitor _monitor;
    private readonly MaintenanceResponseWriter _writer;
    private readonly GrpcMaintenanceWriter _grpc;
    private readonly MaintenanceNotice _notice;
    private readonly MaintenanceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly PathString _assetsPath;
    private readonly TimeProvider _time;
    private readonly BypassUseRecorder _bypassUse;
    private readonly RequestDrain _drain;

    public MaintenanceModeMiddleware(
        RequestDelegate next,
        MaintenanceStateMonitor monitor,
        MaintenanceResponseWriter writer,
        GrpcMaintenanceWriter grpc,
        MaintenanceNotice notice,
        MaintenanceMetrics metrics,
        IOptions<MaintenanceModeOptions> options,
        TimeProvider timeProvider,
        BypassUseRecorder bypassUse,
        RequestDrain drain,
        ILogger<MaintenanceModeMiddleware> logger)
    {
        _next = next;
        _monitor = monitor;
        _writer = writer;
        _grpc = grpc;
        _notice = notice;
        _metrics = metrics;
        _logger = logger;
        _assetsPath = new PathString(options.Value.AssetsPath);
        _time = timeProvider;
        _bypassUse = bypassUse;
        _drain = drain;
    }

    // The hot path: one volatile read and a branch when maintenance is off (and no bypass link is live). No clock, no lock,
    // no allocation. A request still running when the rest of the pipeline returns may be a WebSocket or an event stream,
    // which the drain must be able to end later: only then are its headers looked at (MaintenanceModeMiddleware.Drain.cs).
    public Task Invoke(HttpContext context)
    {
        var snapshot = _monitor.Current;
        if (!snapshot.Intercepts)
        {
            var task = _next(context);
            return task.IsCompleted ? task : WatchLongLived(context, task, onColdPath: false);
        }

        return InvokeCounted(context, snapshot);
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
        if (request.Path.StartsWithSegments(s_passPath, out var pass) && pass.Value is { Length: > 1 } credential
            && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return OpenBypassLink(context, snapshot, credential[1..]);
        }

        if (!snapshot.IsActive)
        {
            // Only here for a bypass link that may be opened before a window starts.
            var task = _next(context);
            return task.IsCompleted ? task : WatchLongLived(context, task, onColdPath: true);
        }

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

        if (!disabled && HasBypassCookie(context, snapshot))
        {
            return PassThrough(context, MaintenanceMetrics.AllowedBy.BypassLink);
        }

        if (GrpcMaintenanceWriter.IsGrpc(request))
        {
            _metrics.Blocked(MaintenanceMetrics.Response.Grpc);
            MaintenanceLog.RequestBlocked(_logger, request.Method, request.Path.Value);
            return _grpc.WriteAsync(context, snapshot);
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
