namespace BackOffice.Sync;

/// <summary>The live status of <see cref="CatalogueSyncService"/>; thread-safe, read through <see cref="Snapshot"/>.</summary>
public sealed class SyncStatus(CatalogueStore store)
{
    private readonly Lock _lock = new();
    private SyncState _state = SyncState.Starting;
    private DateTimeOffset? _lastFull;
    private DateTimeOffset? _lastIncremental;
    private int _fullSyncs;
    private int _incrementalSyncs;
    private int _aborted;
    private int _pauses;

    /// <summary>The status now.</summary>
    public SyncStatusSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new(_state, _lastFull, _lastIncremental, _fullSyncs, _incrementalSyncs, _aborted, _pauses, store.Items.Count);
        }
    }

    internal void Set(SyncState state)
    {
        lock (_lock)
        {
            _state = state;
            if (state == SyncState.Paused)
            {
                _pauses++;
            }
        }
    }

    internal void Completed(bool full, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (full)
            {
                _fullSyncs++;
                _lastFull = at;
            }
            else
            {
                _incrementalSyncs++;
                _lastIncremental = at;
            }

            _state = SyncState.Idle;
        }
    }

    internal void Aborted()
    {
        lock (_lock)
        {
            _aborted++;
        }
    }
}
