using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Keeps the current <see cref="MaintenanceSnapshot"/>: loads it once at start-up, then follows the store's
/// <see cref="IMaintenanceStateStore.WatchAsync"/> (the one owner of change detection: push, watcher or poll), the
/// reloadable options, and a timer for the next scheduled boundary. Requests read <see cref="Current"/> (one volatile
/// read) and never touch the store. When the store is unreachable the last known snapshot stays and the
/// <see cref="StoreWatchLoop"/> retries with a backoff. Each new snapshot is handed to one <see cref="IMaintenanceSnapshotListener"/> (the hooks).
/// </summary>
internal sealed class MaintenanceStateMonitor : IHostedService, IDisposable
{
    private static readonly TimeSpan s_longestTimerWait = TimeSpan.FromDays(1);
    private readonly IMaintenanceStateStore _store;
    private readonly MaintenanceModeOptions _options;
    private readonly MaintenanceOptionsReloader _reloadable;
    private readonly IMaintenanceSnapshotListener? _listener;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile MaintenanceSnapshot _current;
    private IReadOnlyList<MaintenanceState> _states = [];
    private ITimer? _boundaryTimer;
    private Task _background = Task.CompletedTask;
    private volatile bool _storeHealthy = true;
    private int _disposed;

    public MaintenanceStateMonitor(
        IMaintenanceStateStore store,
        IOptions<MaintenanceModeOptions> options,
        MaintenanceOptionsReloader reloadable,
        ILogger<MaintenanceStateMonitor> logger,
        IMaintenanceSnapshotListener? listener = null,
        TimeProvider? timeProvider = null)
    {
        _store = store;
        _options = options.Value;
        _reloadable = reloadable;
        _listener = listener;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _current = Compute([]);

        // The first snapshot (maintenance forced by configuration, or off): the gate knows at once, observers once started.
        _listener?.OnSnapshotChanged(null, _current);
        _reloadable.OnChanged(OnOptionsChanged);
    }

    /// <summary>The snapshot requests read. Never null; swapped atomically.</summary>
    public MaintenanceSnapshot Current => _current;

    /// <summary>Whether the last read of the store succeeded.</summary>
    public bool StoreHealthy => _storeHealthy;

    /// <summary>When the store was last read successfully.</summary>
    public DateTimeOffset? LastLoadedAt { get; private set; }

    /// <summary>The last error reading the store, while it is unhealthy.</summary>
    public Exception? LastError { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_current.Options.Enabled)
        {
            MaintenanceLog.ForcedByConfiguration(_logger, _options.ApplicationName);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            timeout.CancelAfter(_options.StartupTimeout);
            await ReloadAsync(timeout.Token, throwOnError: true).ConfigureAwait(false);
            MaintenanceLog.StateLoaded(_logger, _options.ApplicationName, _current.IsActive, _current.Effective.Reason);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            MarkUnhealthy(ex, log: false);

            // Say what happened: no answer in time, or the store's own error at once.
            var failure = timeout.IsCancellationRequested
                ? $"did not answer within {_options.StartupTimeout}"
                : $"could not be read ({ex.Message.TrimEnd('.')})";
            MaintenanceLog.StartupFallback(_logger, failure, _current.IsActive ? "forced on" : "off", ex);
        }

        var token = _stopping.Token;
        var reloadFirst = !_storeHealthy;
        _background = Task.Run(() => StoreWatchLoop.RunAsync(_store, ct => ReloadAsync(ct), reloadFirst, _time, _logger, token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // A host can be stopped twice and disposed in between (WebApplication.Run stops and disposes the host
        // on its own thread while a test host or orchestrator stops it too): stopping after disposal is a no-op.
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        try
        {
            await _background.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Host shutdown timeout: the watch loop ends on its own.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _boundaryTimer?.Dispose();
        _stopping.Dispose();
        _reloadLock.Dispose();
    }

    /// <summary>
    /// Reads the store and swaps the snapshot. Serialised; safe to call from anywhere. Returns whether the read
    /// succeeded; a failure keeps the last snapshot and marks the store unhealthy (or throws, when <paramref name="throwOnError"/>).
    /// </summary>
    public async Task<bool> ReloadAsync(CancellationToken cancellationToken, bool throwOnError = false)
    {
        await _reloadLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IReadOnlyList<MaintenanceState> states;
            try
            {
                states = await _store.GetStatesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!throwOnError && ex is not OperationCanceledException)
            {
                MarkUnhealthy(ex, log: true);
                return false;
            }

            if (!_storeHealthy)
            {
                MaintenanceLog.StoreRecovered(_logger);
            }

            _storeHealthy = true;
            LastError = null;
            LastLoadedAt = _time.GetUtcNow();
            _states = states;
            Swap(Compute(states));
            return true;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private MaintenanceSnapshot Compute(IReadOnlyList<MaintenanceState> states) =>
        MaintenanceSnapshot.Compute(_options.ApplicationName, states, _reloadable.Current, _time.GetUtcNow(), [.. _options.Applications]);

    private void Swap(MaintenanceSnapshot next)
    {
        var previous = _current;
        _current = next;
        ScheduleBoundary(next.NextBoundary);
        if (previous.IsActive != next.IsActive)
        {
            if (next.IsActive)
            {
                MaintenanceLog.MaintenanceStarted(_logger, next.Application, next.Effective.Application, next.Mode, next.Effective.Reason);
            }
            else
            {
                MaintenanceLog.MaintenanceEnded(_logger, next.Application);
            }
        }

        _listener?.OnSnapshotChanged(previous, next);
    }

    private void MarkUnhealthy(Exception ex, bool log)
    {
        // Log before publishing the flag, so whoever sees StoreHealthy == false also finds the logged error.
        LastError = ex;
        if (log && _storeHealthy)
        {
            MaintenanceLog.StoreUnavailable(_logger, _current.IsActive, ex);
        }

        _storeHealthy = false;
    }

    // A timer, not each request, flips the snapshot when a scheduled window starts or ends.
    private void ScheduleBoundary(DateTimeOffset? boundary)
    {
        _boundaryTimer?.Dispose();
        _boundaryTimer = null;
        if (boundary is not { } at || _stopping.IsCancellationRequested)
        {
            return;
        }

        var due = at - _time.GetUtcNow();
        if (due < TimeSpan.Zero)
        {
            due = TimeSpan.Zero;
        }

        // A timer cannot wait longer than about 49 days, and windows may end up to a year away: wake up daily and recompute.
        if (due > s_longestTimerWait)
        {
            due = s_longestTimerWait;
        }

        _boundaryTimer = _time.CreateTimer(static s => ((MaintenanceStateMonitor)s!).OnBoundary(), this, due, Timeout.InfiniteTimeSpan);
    }

    private void OnBoundary() => _ = RecomputeAsync();

    // Enabled, AllowedNetworks, ExemptPaths or RetryAfter changed in configuration: the same swap, without a store read.
    private void OnOptionsChanged()
    {
        if (!_current.Options.Enabled && _reloadable.Current.Enabled)
        {
            MaintenanceLog.ForcedByConfiguration(_logger, _options.ApplicationName);
        }

        _ = RecomputeAsync();
    }

    private async Task RecomputeAsync()
    {
        try
        {
            await _reloadLock.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping, or a timer that fired while the host was being disposed.
            return;
        }

        try
        {
            Swap(Compute(_states));
        }
        finally
        {
            _reloadLock.Release();
        }
    }
}
