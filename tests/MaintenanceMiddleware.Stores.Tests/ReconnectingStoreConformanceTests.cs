using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>
/// The contract of a store that talks to a server over connections: after a dropped connection the watcher reports a
/// change (the caller reloads in full), because announcements sent while it was disconnected are lost.
/// </summary>
public abstract class ReconnectingStoreConformanceTests : StoreConformanceTests
{
    /// <summary>Cuts every connection of this test's stores to the server, as a network drop or a server restart would.</summary>
    protected abstract Task DropConnectionsAsync();

    [Fact]
    public async Task After_a_dropped_connection_the_watcher_reports_so_the_caller_reloads()
    {
        var watched = await OpenAsync();
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counting = 0;
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var watch = watched.WatchAsync(
            _ =>
            {
                Interlocked.Increment(ref calls);
                if (Volatile.Read(ref counting) == 1)
                {
                    heard.TrySetResult();
                }

                return Task.CompletedTask;
            },
            stop.Token);

        await SettleAsync(() => Volatile.Read(ref calls), initialReport: true);
        Volatile.Write(ref counting, 1);

        // No change is written: only the reconnect (the safety poll is far longer than the wait) can cause the report.
        await DropConnectionsAsync();
        await heard.Task.WaitAsync(WatchLatency);

        // And it listens again: a change written afterwards is heard.
        await SettleAsync(() => Volatile.Read(ref calls), initialReport: false);
        heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var state = On("Storefront", 1, "after the drop");
        await (await OpenAsync()).SaveAsync(state, 0, Audit(state, "after the drop"));
        await heard.Task.WaitAsync(WatchLatency);
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
