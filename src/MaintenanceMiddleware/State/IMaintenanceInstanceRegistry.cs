namespace MaintenanceMiddleware;

/// <summary>
/// Where running instances report themselves: a store that implements it (the file, PostgreSQL, Redis and in-memory
/// stores do) lets <c>maintenance instances</c> list them and <c>enable/disable --wait</c> confirm that every instance
/// applied a change. Implemented by the same class as <see cref="IMaintenanceStateStore"/>, over the same backing.
/// </summary>
/// <remarks>The request path never calls it: instances report from a background service.</remarks>
public interface IMaintenanceInstanceRegistry
{
    /// <summary>
    /// Registers or refreshes <paramref name="report"/> (keyed by <see cref="MaintenanceInstanceReport.InstanceId"/>),
    /// stamping <see cref="MaintenanceInstanceReport.LastHeartbeat"/> with the store's time, and tells the watchers.
    /// </summary>
    /// <exception cref="MaintenanceStoreException">The store could not be written.</exception>
    Task ReportAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken = default);

    /// <summary>Removes the report of <paramref name="instanceId"/> (a clean stop), if it still belongs to <paramref name="sessionId"/>.</summary>
    /// <exception cref="MaintenanceStoreException">The store could not be written.</exception>
    Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Reads every report with the store's current time. Unreadable entries are listed in <see cref="MaintenanceInstanceList.Unreadable"/>, never thrown.</summary>
    /// <exception cref="MaintenanceStoreException">The store could not be read.</exception>
    Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, invoking <paramref name="onChanged"/> whenever a
    /// report may have changed (a push where the backend has one, so that waiting is not polling). Spurious calls are harmless.
    /// </summary>
    Task WatchInstancesAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken);
}
