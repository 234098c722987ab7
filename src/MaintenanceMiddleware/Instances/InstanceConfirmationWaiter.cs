using System.Runtime.CompilerServices;

namespace MaintenanceMiddleware;

/// <summary>
/// Waits until every instance a change concerns has confirmed it (<see cref="InstanceConfirmationRule"/>), is gone, or
/// stopped, or the timeout passes. Woken by the registry's watch (a push where the store has one); besides, it looks
/// again every second, since an instance that froze sends nothing and is only noticed when its heartbeat expires.
/// </summary>
internal static class InstanceConfirmationWaiter
{
    private static readonly TimeSpan s_recheck = TimeSpan.FromSeconds(1);

    public static async Task<MaintenanceConfirmation> WaitAsync(
        IMaintenanceInstanceRegistry registry, string application, long version, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var seen = new Dictionary<string, MaintenanceInstanceConfirmation>(StringComparer.Ordinal);
        var wake = new StrongBox<TaskCompletionSource>(NewWake());
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = Task.Run(
            () => registry.WatchInstancesAsync(
                _ =>
                {
                    Volatile.Read(ref wake.Value!).TrySetResult();
                    return Task.CompletedTask;
                },
                stopWatching.Token),
            CancellationToken.None);
        try
        {
            MaintenanceStoreException? lastError = null;
            IReadOnlyList<string> unreadable = [];
            var first = true;
            while (true)
            {
                var woken = Volatile.Read(ref wake.Value!).Task;
                try
                {
                    var list = await registry.GetInstancesAsync(cancellationToken).ConfigureAwait(false);
                    lastError = null;
                    unreadable = list.Unreadable;
                    Judge(list, application, version, seen);
                    if (first && seen.Count == 0)
                    {
                        return Result(application, version, timeout, time.GetElapsedTime(started), seen, unreadable, noLiveInstance: true);
                    }

                    first = false;
                    if (seen.Values.All(c => InstanceConfirmationRule.IsSettled(c.Outcome)))
                    {
                        return Result(application, version, timeout, time.GetElapsedTime(started), seen, unreadable, noLiveInstance: false);
                    }
                }
                catch (MaintenanceStoreException ex)
                {
                    // A store hiccup during the wait: keep trying until the timeout, then say what failed.
                    lastError = ex;
                }

                var left = timeout - time.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    if (lastError is not null && first)
                    {
                        throw lastError;
                    }

                    return Result(application, version, timeout, time.GetElapsedTime(started), seen, unreadable, noLiveInstance: false, lastError);
                }

                await woken.WaitAsync(left < s_recheck ? left : s_recheck, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                cancellationToken.ThrowIfCancellationRequested();
                if (woken.IsCompleted)
                {
                    Volatile.Write(ref wake.Value, NewWake());
                }
            }
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            try
            {
                await watch.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or MaintenanceStoreException)
            {
                // The watch only wakes the loop up; the loop looks again every second without it.
            }
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Judge(MaintenanceInstanceList list, string application, long version, Dictionary<string, MaintenanceInstanceConfirmation> seen)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in list.Instances)
        {
            if (!InstanceConfirmationRule.Concerns(report, application))
            {
                continue;
            }

            present.Add(report.InstanceId);

            // Only instances running during the wait count: an entry already dead when it began is history.
            if (!seen.ContainsKey(report.InstanceId) && !report.IsLiveAt(list.AsOf))
            {
                continue;
            }

            seen[report.InstanceId] = InstanceConfirmationRule.Judge(report, application, version, list.AsOf);
        }

        foreach (var (id, last) in seen)
        {
            if (!present.Contains(id) && last.Outcome is not (MaintenanceInstanceOutcome.Confirmed or MaintenanceInstanceOutcome.Gone or MaintenanceInstanceOutcome.Stopped))
            {
                seen[id] = InstanceConfirmationRule.Stopped(last);
            }
        }
    }

    private static MaintenanceConfirmation Result(
        string application,
        long version,
        TimeSpan timeout,
        TimeSpan elapsed,
        Dictionary<string, MaintenanceInstanceConfirmation> seen,
        IReadOnlyList<string> unreadable,
        bool noLiveInstance,
        MaintenanceStoreException? storeError = null)
    {
        // A store that stopped answering during the wait: what is known of each instance is older than that, so say so.
        var instances = seen.Values.Select(c => storeError is null || InstanceConfirmationRule.IsSettled(c.Outcome)
            ? c
            : c with { Detail = $"{c.Detail}; then the store could not be read: {storeError.Message}" });
        return new()
        {
            Application = application,
            Version = version,
            Confirmed = storeError is null && seen.Values.All(c => c.Outcome is MaintenanceInstanceOutcome.Confirmed or MaintenanceInstanceOutcome.Stopped),
            NoLiveInstance = noLiveInstance,
            Elapsed = elapsed,
            Timeout = timeout,
            Instances = [.. instances.OrderBy(c => c.Application, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.InstanceId, StringComparer.Ordinal)],
            Unreadable = unreadable,
            StoreError = storeError?.Message,
        };
    }
}
