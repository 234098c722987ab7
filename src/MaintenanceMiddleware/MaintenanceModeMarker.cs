namespace MaintenanceMiddleware;

/// <summary>Registered by <c>AddMaintenanceMode</c> so that <c>UseMaintenanceMode</c> can tell it ran.</summary>
internal sealed class MaintenanceModeMarker;
