using System.Diagnostics.Metrics;

namespace MaintenanceMiddleware;

/// <summary>
/// Metrics of the meter <c>MaintenanceMiddleware</c>: requests answered with the maintenance response, requests let
/// through during maintenance (and why), whether maintenance is active, and whether the state store answers.
/// </summary>
internal sealed class MaintenanceMetrics
{
    public const string MeterName = "MaintenanceMiddleware";
    public const string BlockedName = "maintenance.requests.blocked";
    public const string AllowedName = "maintenance.requests.allowed";
    public const string ActiveName = "maintenance.active";
    public const string StoreHealthyName = "maintenance.store.healthy";
    public const string ResponseTag = "maintenance.response";
    public const string AllowedByTag = "maintenance.allowed_by";

    private readonly Counter<long> _blocked;
    private readonly Counter<long> _allowed;

    public MaintenanceMetrics(IMeterFactory meterFactory, MaintenanceStateMonitor monitor)
    {
        var meter = meterFactory.Create(MeterName);
        _blocked = meter.CreateCounter<long>(BlockedName, "{request}", "Requests answered with the maintenance response (503).");
        _allowed = meter.CreateCounter<long>(AllowedName, "{request}", "Requests let through to the application while maintenance is active.");
        meter.CreateObservableGauge(ActiveName, () => monitor.Current.IsActive ? 1 : 0, "{state}", "1 while maintenance is active for this application, else 0.");
        meter.CreateObservableGauge(StoreHealthyName, () => monitor.StoreHealthy ? 1 : 0, "{state}", "1 while the maintenance state store answers, 0 while the last known state is served.");
    }

    /// <summary>A request got the 503; <paramref name="json"/> tells problem+json from the page.</summary>
    public void Blocked(bool json) => Blocked(json ? Response.Json : Response.Html);

    /// <summary>A request got the maintenance answer of kind <paramref name="response"/> (one of the <see cref="Response"/> values).</summary>
    public void Blocked(string response) => _blocked.Add(1, new KeyValuePair<string, object?>(ResponseTag, response));

    /// <summary>A request was let through during maintenance; <paramref name="allowedBy"/> is one of the <see cref="AllowedBy"/> values.</summary>
    public void Allowed(string allowedBy) => _allowed.Add(1, new KeyValuePair<string, object?>(AllowedByTag, allowedBy));

    /// <summary>Values of the <c>maintenance.response</c> tag.</summary>
    public static class Response
    {
        public const string Html = "html";
        public const string Json = "json";
        public const string Grpc = "grpc";
    }

    /// <summary>Values of the <c>maintenance.allowed_by</c> tag.</summary>
    public static class AllowedBy
    {
        public const string Exempt = "exempt";
        public const string ReadOnly = "read_only";
        public const string AllowList = "allowlist";
        public const string BypassLink = "bypass_link";
    }
}
