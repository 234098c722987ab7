using MaintenanceMiddleware;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Marks endpoints for maintenance mode.</summary>
public static class MaintenanceModeEndpointConventionBuilderExtensions
{
    /// <summary>The endpoint keeps answering everyone during maintenance (for example health probes).</summary>
    public static TBuilder AllowDuringMaintenance<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new AllowDuringMaintenanceAttribute());
    }

    /// <summary>
    /// The endpoint gets the maintenance response during maintenance even for allowlisted clients and, in read-only
    /// mode, for safe methods.
    /// </summary>
    public static TBuilder DisabledDuringMaintenance<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new DisabledDuringMaintenanceAttribute());
    }
}
