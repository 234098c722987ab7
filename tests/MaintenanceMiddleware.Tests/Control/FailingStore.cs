using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Control;

/// <summary>A store that is unreachable: every call fails the way a real store reports it.</summary>
internal sealed class FailingStore : IMaintenanceStateStore
{
    public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) =>
        Task.FromException<IReadOnlyList<MaintenanceState>>(new MaintenanceStoreException("The store is unreachable (test)."));

    public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
        Task.FromException(new MaintenanceStoreException("The store is unreachable (test)."));

    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
        Task.FromException<IReadOnlyList<MaintenanceAuditEntry>>(new MaintenanceStoreException("The store is unreachable (test)."));

    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) =>
        Task.Delay(Timeout.Infinite, cancellationToken);
}
