namespace MaintenanceMiddleware;

/// <summary>
/// The one callback out of the state monitor: told of every new snapshot, synchronously, right after the swap (so
/// whatever it sets flips with the snapshot). The hooks room (the gate, the observers) is fed through it; the monitor
/// knows nothing of what listens. Must return quickly and never throw: queue slow work.
/// </summary>
internal interface IMaintenanceSnapshotListener
{
    /// <summary>A new snapshot is in force.</summary>
    /// <param name="previous">The snapshot it replaced; <see langword="null"/> for the first one (computed from configuration before the store is read).</param>
    /// <param name="current">The snapshot requests now read.</param>
    void OnSnapshotChanged(MaintenanceSnapshot? previous, MaintenanceSnapshot current);
}
