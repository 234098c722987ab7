namespace BackOffice.Sync;

/// <summary>The synchronisation's status at one moment, as served by <c>GET /api/sync/status</c>.</summary>
/// <param name="State">What it is doing now.</param>
/// <param name="LastFullSyncAt">When the last full synchronisation completed.</param>
/// <param name="LastIncrementalSyncAt">When the last incremental synchronisation completed.</param>
/// <param name="FullSyncs">How many full synchronisations completed.</param>
/// <param name="IncrementalSyncs">How many incremental synchronisations completed.</param>
/// <param name="Aborted">How many synchronisations were cancelled in flight because maintenance began.</param>
/// <param name="Pauses">How many times the synchronisation paused for maintenance.</param>
/// <param name="Items">How many catalogue items the back office holds.</param>
public sealed record SyncStatusSnapshot(
    SyncState State,
    DateTimeOffset? LastFullSyncAt,
    DateTimeOffset? LastIncrementalSyncAt,
    int FullSyncs,
    int IncrementalSyncs,
    int Aborted,
    int Pauses,
    int Items);
