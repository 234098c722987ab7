using MaintenanceMiddleware;
using Microsoft.Extensions.Options;

namespace BackOffice.Sync;

/// <summary>
/// Keeps the local catalogue in step with the supplier: a full synchronisation at start, then small incremental
/// ones. It cooperates with maintenance through <see cref="IMaintenanceModeGate"/>, with no polling code of its own:
/// <list type="bullet">
/// <item>before each round, if maintenance is in force, it pauses until maintenance ends;</item>
/// <item>work in flight runs under a token linked with <see cref="IMaintenanceModeGate.MaintenanceStartedToken"/>,
/// so it is cancelled the moment maintenance begins (on this instance, whoever switched it);</item>
/// <item>after a pause or an aborted round it resynchronises in full, since changes made during maintenance
/// (a data migration, a price import) were not seen incrementally.</item>
/// </list>
/// </summary>
public sealed class CatalogueSyncService(
    IMaintenanceModeGate gate,
    ISupplierFeed feed,
    CatalogueStore store,
    SyncStatus status,
    IOptions<CatalogueSyncOptions> options,
    TimeProvider time,
    ILogger<CatalogueSyncService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var needFullSync = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (gate.IsActive)
            {
                status.Set(SyncState.Paused);
                SyncLog.Paused(logger);
                try
                {
                    await gate.WaitUntilEndedAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                SyncLog.Resumed(logger);
                needFullSync = true;
            }

            // Cancelled when the host stops or when maintenance begins, whichever comes first.
            using var work = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, gate.MaintenanceStartedToken);
            var pages = 0;
            try
            {
                if (needFullSync)
                {
                    status.Set(SyncState.FullSync);
                    var items = 0;
                    for (var page = 0; page < feed.PageCount; page++)
                    {
                        var batch = await feed.FetchPageAsync(page, work.Token).ConfigureAwait(false);
                        work.Token.ThrowIfCancellationRequested();
                        store.Upsert(batch);
                        items += batch.Count;
                        pages++;
                    }

                    needFullSync = false;
                    status.Completed(full: true, time.GetUtcNow());
                    SyncLog.FullSyncCompleted(logger, items, pages);
                }
                else
                {
                    status.Set(SyncState.IncrementalSync);
                    var changes = await feed.FetchChangesAsync(work.Token).ConfigureAwait(false);
                    work.Token.ThrowIfCancellationRequested();
                    store.Upsert(changes);
                    status.Completed(full: false, time.GetUtcNow());
                    SyncLog.IncrementalSyncCompleted(logger, changes.Count);
                }

                // Between rounds: wake early if maintenance begins, so the pause shows at once.
                await Task.Delay(options.Value.Interval, time, work.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException) when (work.IsCancellationRequested)
            {
                // Maintenance began. Only a round that was actually running counts as aborted.
                if (status.Snapshot().State is SyncState.FullSync or SyncState.IncrementalSync)
                {
                    status.Aborted();
                    SyncLog.Aborted(logger, needFullSync ? "full" : "incremental", pages);
                    needFullSync = true;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                needFullSync = true;
                status.Set(SyncState.Idle);
                SyncLog.Failed(logger, options.Value.Interval, ex);
                try
                {
                    await Task.Delay(options.Value.Interval, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        status.Set(SyncState.Stopped);
    }
}
