namespace MaintenanceMiddleware;

/// <summary>
/// Endpoint metadata: the endpoint keeps answering everyone during maintenance (health probes, status pages, webhooks
/// that must not be lost). Add it with <c>.AllowDuringMaintenance()</c> on an endpoint, or as an attribute on a
/// controller or action. Takes effect only where routing runs before <c>UseMaintenanceMode</c>, as it does by default
/// in a <c>WebApplication</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class AllowDuringMaintenanceAttribute : Attribute;
