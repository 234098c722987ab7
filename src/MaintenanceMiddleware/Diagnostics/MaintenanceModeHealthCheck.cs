using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MaintenanceMiddleware;

/// <summary>
/// Reports the state monitor: Healthy while the store answers (whether or not maintenance is active, which the
/// description and data tell); Degraded while the store fails and the last known state is served.
/// </summary>
internal sealed class MaintenanceModeHealthCheck(MaintenanceStateMonitor monitor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = monitor.Current;
        var data = new Dictionary<string, object>
        {
            ["application"] = snapshot.Application,
            ["active"] = snapshot.IsActive,
            ["forcedByConfiguration"] = snapshot.ForcedByConfiguration,
            ["storeHealthy"] = monitor.StoreHealthy,
        };
        if (snapshot.IsActive)
        {
            data["mode"] = snapshot.Mode.ToString();
            data["scope"] = snapshot.Effective.Application;
            if (snapshot.Effective.EndsAt is { } endsAt)
            {
                data["endsAt"] = endsAt.ToString("O", CultureInfo.InvariantCulture);
            }
        }

        if (monitor.LastLoadedAt is { } loadedAt)
        {
            data["lastLoadedAt"] = loadedAt.ToString("O", CultureInfo.InvariantCulture);
        }

        var state = snapshot.IsActive
            ? snapshot.ForcedByConfiguration ? "active (forced on by configuration)" : "active"
            : "off";
        if (!monitor.StoreHealthy)
        {
            var since = monitor.LastLoadedAt is { } at ? $" (last read {at:O})" : " (never read)";
            return Task.FromResult(HealthCheckResult.Degraded(
                $"The maintenance state store is failing; serving the last known state{since}: maintenance {state} for '{snapshot.Application}'.",
                monitor.LastError,
                data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"Maintenance {state} for '{snapshot.Application}'.", data));
    }
}
