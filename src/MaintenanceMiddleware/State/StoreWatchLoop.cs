using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// The state monitor's one loop over the store: runs <see cref="IMaintenanceStateStore.WatchAsync"/> (the one owner of
/// change detection) and restarts it with a backoff (100 ms doubling to 2 s) when it fails or ends. Before each restart
/// the store is read again, so a change made while nothing watched is not lost; while the store is down that read is
/// the retry, and the watch starts again only once the store answers. A read that fails inside the watch ends the
/// watch the same way (stores let exceptions from their callback propagate).
/// </summary>
internal static class StoreWatchLoop
{
    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(2);

    /// <param name="store">The store to watch.</param>
    /// <param name="reload">Reads the store and swaps the snapshot; <see langword="false"/> when the read failed (already logged).</param>
    /// <param name="reloadFirst">Whether to read before the first watch (the start-up read failed).</param>
    /// <param name="time">The clock for the backoff.</param>
    /// <param name="logger">Where a failed watch is logged.</param>
    /// <param name="token">Stops the loop.</param>
    public static async Task RunAsync(
        IMaintenanceStateStore store,
        Func<CancellationToken, Task<bool>> reload,
        bool reloadFirst,
        TimeProvider time,
        ILogger logger,
        CancellationToken token)
    {
        async Task OnChangedAsync(CancellationToken ct)
        {
            if (!await reload(ct).ConfigureAwait(false))
            {
                throw new StoreReadFailedException();
            }
        }

        var delay = s_minBackoff;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!reloadFirst || await reload(token).ConfigureAwait(false))
                {
                    var started = time.GetTimestamp();
                    await store.WatchAsync(OnChangedAsync, token).ConfigureAwait(false);
                    if (time.GetElapsedTime(started) >= s_maxBackoff)
                    {
                        delay = s_minBackoff;
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (StoreReadFailedException)
            {
                // Logged (once per outage) when the read failed.
            }
            catch (Exception ex)
            {
                MaintenanceLog.WatchFailed(logger, delay, ex);
            }

            try
            {
                await Task.Delay(delay, time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxBackoff.Ticks));
            reloadFirst = true;
        }
    }

    /// <summary>Ends a store's watch from inside its callback when the read failed.</summary>
    private sealed class StoreReadFailedException() : Exception("The maintenance state store could not be read; the watch restarts once it answers.");
}
