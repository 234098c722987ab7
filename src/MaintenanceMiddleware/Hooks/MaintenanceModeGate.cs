using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MaintenanceMiddleware;

/// <summary>The gate background services use; driven by the state monitor's transitions.</summary>
internal sealed class MaintenanceModeGate(ILogger<MaintenanceModeGate>? logger = null) : IMaintenanceModeGate, IDisposable
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;
    private readonly Lock _lock = new();
    private bool _active;
    private CancellationTokenSource _started = new();
    private TaskCompletionSource _ended = NewCompleted();
    private volatile ApplicationMaintenance? _current;

    /// <summary>The per-application gates this gate's <see cref="ForApplication"/> answers from; set by <see cref="MaintenanceApplicationGates"/>.</summary>
    internal MaintenanceApplicationGates? Registry { get; set; }

    /// <summary>The application's last computed maintenance (for the public message and expected end); <see langword="null"/> before the first snapshot.</summary>
    internal ApplicationMaintenance? Current => _current;

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

    public IMaintenanceModeGate ForApplication(string application)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(application);
        return Registry?.Get(application)
            ?? throw new InvalidOperationException("This gate was created outside AddMaintenanceMode and knows no other application.");
    }

    /// <summary>Called by the hooks dispatcher with the application's state in each new snapshot (its public message and end).</summary>
    internal void SetCurrent(ApplicationMaintenance current) => _current = current;

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

        // Outside the lock: cancellation callbacks and continuations run user code. The token is cancelled at once,
        // but its callbacks run on the thread pool: a slow or throwing callback must not hold up or break the state
        // monitor that calls this (it would stop observers from hearing of the change).
        if (toCancel is not null)
        {
            _ = toCancel.CancelAsync().ContinueWith(
                static (t, state) => MaintenanceLog.GateCallbackFailed((ILogger)state!, t.Exception!),
                _logger,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

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
