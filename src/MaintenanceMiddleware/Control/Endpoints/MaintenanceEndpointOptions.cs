namespace MaintenanceMiddleware;

/// <summary>Options of the maintenance HTTP endpoints, bound from <c>MaintenanceMode:Endpoints</c>.</summary>
public sealed class MaintenanceEndpointOptions
{
    /// <summary>The configuration section, relative to <c>MaintenanceMode</c>.</summary>
    public const string SectionName = "Endpoints";

    /// <summary>
    /// The authorization policy <c>MapMaintenanceEndpoints</c> requires (<c>MaintenanceMode:Endpoints:AuthorizationPolicy</c>),
    /// for example <c>MaintenanceOperator</c>. When not set, chain <c>.RequireAuthorization(...)</c> on the returned builder;
    /// with neither, the application refuses to start.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }
}
