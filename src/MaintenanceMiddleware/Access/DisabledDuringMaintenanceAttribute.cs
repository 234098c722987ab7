namespace MaintenanceMiddleware;

/// <summary>
/// Endpoint metadata: the endpoint gets the maintenance response during maintenance even for allowlisted clients and
/// safe methods in read-only mode (for example checkout, or jobs that must not run while data is migrated).
/// Add it with <c>.DisabledDuringMaintenance()</c> on an endpoint, or as an attribute on a controller or action.
/// It wins over <see cref="AllowDuringMaintenanceAttribute"/> and exempt paths.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class DisabledDuringMaintenanceAttribute : Attribute;
