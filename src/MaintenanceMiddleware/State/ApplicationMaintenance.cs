namespace MaintenanceMiddleware;

/// <summary>The effective maintenance of one declared application at the time its snapshot was computed.</summary>
/// <param name="Application">The application name, as the host declares it.</param>
/// <param name="IsActive">Whether maintenance is in force for it (its own window or the environment-wide one).</param>
/// <param name="Effective">The state that governs: the environment-wide one when in force (strictest of both), else its own.</param>
internal sealed record ApplicationMaintenance(string Application, bool IsActive, MaintenanceState Effective);
