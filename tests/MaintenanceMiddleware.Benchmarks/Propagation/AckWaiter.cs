using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;

namespace MaintenanceMiddleware.Benchmarks.Propagation;

/// <summary>
/// The waiter of <see cref="AckPropagationBenchmark"/>, as <c>enable --wait</c> waits: it watches the instances (pushed
/// by NOTIFY), and after each push, and once when a wait starts, reads the list and checks whether every host reported
/// the awaited version, drained.
/// </summary>
internal sealed class AckWaiter(PostgreSqlMaintenanceStateStore store, string application, int hosts)
{
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;
    private volatile Target? _target;
    private int _reads;
    private int _pushes;

    public int Reads => Volatile.Read(ref _reads);

    public int Pushes => Volatile.Read(ref _pushes);

    public void Start() => _watch = store.WatchInstancesAsync(
        async ct =>
        {
            Interlocked.Increment(ref _pushes);
            await CheckAsync(ct).ConfigureAwait(false);
        },
        _stop.Token);

    /// <summary>Returns once every host reported <paramref name="version"/> (or a later one), drained.</summary>
    public async Task WaitAsync(long version, TimeSpan timeout)
    {
        var target = new Target(version);
        _target = target;
        await CheckAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            await target.Confirmed.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Not every host confirmed version {version} within {timeout}.");
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (_target is not { } target || target.Confirmed.Task.IsCompleted)
        {
            return;
        }

        var list = await store.GetInstancesAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _reads);
        var confirmed = list.Live.Count(i => i.Application == application && i.Drained && i.AppliedVersionOf(application) >= target.Version);
        if (confirmed >= hosts)
        {
            target.Confirmed.TrySetResult();
        }
    }

    private sealed class Target(long version)
    {
        public long Version { get; } = version;

        public TaskCompletionSource Confirmed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
