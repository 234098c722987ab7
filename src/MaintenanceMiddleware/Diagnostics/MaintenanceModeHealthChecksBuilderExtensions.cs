using MaintenanceMiddleware;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the maintenance mode health check.</summary>
public static class MaintenanceModeHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports whether maintenance is active (in its description and data) and whether the
    /// state store answers: Healthy while it does, Degraded while the last known state is served. Maintenance itself
    /// does not make the check unhealthy, so load balancers keep the instance. Requires <c>AddMaintenanceMode</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The name of the check. Default <c>maintenance</c>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddMaintenanceModeCheck(this IHealthChecksBuilder builder, string name = "maintenance", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            static sp => ActivatorUtilities.CreateInstance<MaintenanceModeHealthCheck>(sp),
            HealthStatus.Degraded,
            tags));
    }
}
