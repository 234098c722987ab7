using MaintenanceMiddleware;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Marks endpoints that operate on another application, refused while that application is in maintenance.</summary>
public static class DisabledWhileInMaintenanceEndpointConventionBuilderExtensions
{
    /// <summary>
    /// While <paramref name="application"/> (declared in <c>MaintenanceMode:Applications</c>) is in maintenance, the
    /// endpoint answers <c>409 Conflict</c> problem+json naming it, its public message and expected end, for every
    /// caller. An undeclared name stops start-up.
    /// </summary>
    public static TBuilder DisabledWhileInMaintenance<TBuilder>(this TBuilder builder, string application)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new DisabledWhileInMaintenanceAttribute(application));
    }

    /// <summary>
    /// The target application comes from the route value <paramref name="routeValue"/> (e.g. <c>app</c> in
    /// <c>/environments/{app}/deploy</c>): while it is in maintenance the endpoint answers <c>409 Conflict</c>; a value
    /// naming no declared application answers <c>404</c>. A route without that parameter stops start-up.
    /// </summary>
    public static TBuilder DisabledWhileTargetInMaintenance<TBuilder>(this TBuilder builder, string routeValue)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(routeValue);
        return builder.WithMetadata(new DisabledWhileInMaintenanceAttribute { RouteValue = routeValue });
    }
}
