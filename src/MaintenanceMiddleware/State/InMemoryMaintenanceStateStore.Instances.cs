namespace MaintenanceMiddleware;

/// <summary>The in-memory store's instance registry: reports in a dictionary, stamped with the store's clock.</summary>
public sealed partial class InMemoryMaintenanceStateStore : IMaintenanceInstanceRegistry
{
    private readonly Dictionary<string, MaintenanceInstanceReport> _instances = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private TaskCompletionSource _instancesChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The store's clock, which stamps instance heartbeats; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryMaintenanceStateStore(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public Task ReportAsync(MaintenanceInstanceReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock)
        {
            _instances[report.InstanceId] = report with { LastHeartbeat = _time.GetUtcNow() };
        }

        SignalInstances();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string instanceId, string sessionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_instances.TryGetValue(instanceId, out var report) && report.SessionId == sessionId)
            {
                _instances.Remove(instanceId);
            }
        }

        SignalInstances();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<MaintenanceInstanceList> GetInstancesAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(new MaintenanceInstanceList { AsOf = _time.GetUtcNow(), Instances = [.. _instances.Values.OrderBy(i => i.InstanceId, StringComparer.Ordinal)] });
        }
    }

    /// <inheritdoc />
    public async Task WatchInstancesAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        while (!cancellationToken.IsCancellationRequested)
        {
            Task changed;
            lock (_lock)
            {
                changed = _instancesChanged.Task;
            }

            try
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await onChanged(cancellationToken).ConfigureAwait(false);
        }
    }

    private void SignalInstances()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            changed = _instancesChanged;
            _instancesChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
