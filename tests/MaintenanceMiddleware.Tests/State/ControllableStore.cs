using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>
/// An in-memory store that a test can take down (reads fail as a real store reports it), make hang, or whose watch
/// fails a number of times; it counts reads. Its watch reports writes only (nothing at start), as a push store does.
/// </summary>
internal sealed class ControllableStore : IMaintenanceStateStore
{
    private int _reads;
    private int _watchFailures;

    public InMemoryMaintenanceStateStore Inner { get; } = new();

    public volatile bool Down;

    public volatile bool Hang;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>How many of the next watches fail at once.</summary>
    public int WatchFailures
    {
        get => Volatile.Read(ref _watchFailures);
        set => Volatile.Write(ref _watchFailures, value);
    }

    public async Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Down)
        {
            throw new MaintenanceStoreException("The store is down (test).");
        }

        return await Inner.GetStatesAsync(cancellationToken);
    }

    public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
        Inner.SaveAsync(state, expectedVersion, auditEntry, cancellationToken);

    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
        Inner.GetAuditTrailAsync(application, limit, cancellationToken);

    public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _watchFailures) >= 0)
        {
            return Task.FromException(new InvalidOperationException("The watch failed (test)."));
        }

        Interlocked.Exchange(ref _watchFailures, 0);
        return Inner.WatchAsync(onChanged, cancellationToken);
    }
}
