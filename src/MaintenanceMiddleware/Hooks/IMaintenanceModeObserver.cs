
namespace MaintenanceMiddleware;

/// <summary>
/// Lifecycle hooks: called on every instance when that instance sees maintenance begin or end for its application,
/// scheduled starts and ends included. Register implementations with <c>services.AddSingleton&lt;IMaintenanceModeObserver, T&gt;()</c>.
/// </summary>
/// <remarks>Exceptions are logged and do not stop other observers. Keep handlers short; start long work elsewhere.</remarks>
public interface IMaintenanceModeObserver
{
    /// <summary>Maintenance has begun for this instance's application.</summary>
    Task OnMaintenanceStartedAsync(MaintenanceState state, CancellationToken cancellationToken);

    /// <summary>Maintenance has ended for this instance's application.</summary>
    Task OnMaintenanceEndedAsync(MaintenanceState state, CancellationToken cancellationToken);
}
