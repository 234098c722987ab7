
namespace MaintenanceMiddleware;

/// <summary>
/// The one seam for storage: reads state, writes a change together with its audit entry,
/// reads the audit trail, and reports changes. Implementations: in-memory, file (the embedded default), PostgreSQL.
/// </summary>
/// <remarks>
/// The request path never calls a store: the state monitor loads from it and keeps an immutable snapshot.
/// Implementations must be safe to call concurrently.
/// </remarks>
public interface IMaintenanceStateStore
{
    /// <summary>Reads the stored state of every application that has one (including <see cref="MaintenanceState.AllApplications"/>).</summary>
    /// <exception cref="MaintenanceStoreException">The store could not be read (unreachable, corrupt).</exception>
    Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically writes <paramref name="state"/> and appends <paramref name="auditEntry"/>, provided the stored
    /// version of <see cref="MaintenanceState.Application"/> is still <paramref name="expectedVersion"/>
    /// (<c>0</c> when it has never been written). <paramref name="state"/> carries the new version
    /// (<paramref name="expectedVersion"/> + 1).
    /// </summary>
    /// <exception cref="MaintenanceConflictException">Someone else changed the state first; nothing was written.</exception>
    /// <exception cref="MaintenanceStoreException">The store could not be written; nothing was written.</exception>
    Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default);

    /// <summary>Reads the audit trail, newest first, optionally for one application, at most <paramref name="limit"/> entries.</summary>
    Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, invoking <paramref name="onChanged"/> whenever the
    /// stored state may have changed (a push where the backend has one, a watcher or poll where it does not, and after
    /// every reconnect). The caller reloads with <see cref="GetStatesAsync"/>; spurious calls are harmless.
    /// </summary>
    /// <remarks>
    /// This is the only change detection: the state monitor polls nothing itself. Call <paramref name="onChanged"/> once
    /// when watching starts, and let exceptions from it propagate (the monitor ends the watch that way when its read
    /// fails). When the backend is lost, throw, or call <paramref name="onChanged"/> so that the failed read is seen: the
    /// monitor then keeps the last state, retries the read with a backoff and calls this method again once it answers.
    /// </remarks>
    Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken);
}
