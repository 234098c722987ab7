namespace MaintenanceMiddleware.Control;

/// <summary>The gate background services use; driven by the state monitor's transitions.</summary>
internal sealed class MaintenanceModeGate : IMaintenanceModeGate, IDisposable
{
    private readonly Lock _lock = new();
    private bool _active;
    private CancellationTokenSource _started = new();
    private TaskCompletionSource _ended = NewCompleted();

    public bool IsActive => Volatile.Read(ref _active);

    public CancellationToken MaintenanceStartedToken
    {
        get
        {
            lock (_lock)
            {
                return _started.Token;
            }
        }
    }

    public Task WaitUntilEndedAsync(CancellationToken cancellationToken = default)
    {
        Task ended;
        lock (_lock)
        {
            ended = _ended.Task;
        }

        return ended.WaitAsync(cancellationToken);
    }

    /// <summary>Called by the state monitor when this instance's view changes.</summary>
    internal void SetActive(bool active)
    {
        CancellationTokenSource? toCancel = null;
        TaskCompletionSource? toComplete = null;
        lock (_lock)
        {
            if (_active == active)
            {
                return;
            }

            Volatile.Write(ref _active, active);
            if (active)
            {
                toCancel = _started;
                _ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                _started = new CancellationTokenSource();
                toComplete = _ended;
            }
        }

        // Outside the lock: cancellation callbacks and continuations run user code.
        toCancel?.Cancel();
        toComplete?.TrySetResult();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _started.Dispose();
        }
    }

    private static TaskCompletionSource NewCompleted()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}
