using Microsoft.Extensions.Hosting;

namespace MaintenanceMiddleware;

/// <summary>Starts and stops the singleton <see cref="MaintenanceStateMonitor"/> with the host.</summary>
internal sealed class MaintenanceStateMonitorHostedService(MaintenanceStateMonitor monitor) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => monitor.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => monitor.StopAsync(cancellationToken);
}
