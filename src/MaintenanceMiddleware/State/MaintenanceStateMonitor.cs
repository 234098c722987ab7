using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Keeps the current <see cref="MaintenanceSnapshot"/>: loads it once at start-up, then follows the store's change
/// reports, a slow safety-net poll, and a timer for the next scheduled boundary. Requests read
/// <see cref="Current"/> (one volatile read) and never touch the store. When the store is unreachable the last
/// known snapshot stays and the monitor keeps retrying.
/// </summary>
internal sealed class MaintenanceStateMonitor : IHostedService, IDisposable
{
    private static readonly TimeSpan s_maxWatchBackoff = TimeSpan.FromSeconds(2);

    private readonly IMaintenanceStateStore _store;
    private readonly MaintenanceModeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MaintenanceModeGate _gate;
    private readonly IEnumerable<IMaintenanceModeObserver> _observers;
    private readonly IpAllowList _configuredAllowList;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private readonly Channel<MaintenanceSnapshot> _transitions = Channel.CreateUnbounded<MaintenanceSnapshot>(new() { SingleReader = true });
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
        MaintenanceModeGate gate,
        IEnumerable<IMaintenanceModeObserver> observers,
        ILogger<MaintenanceStateMonitor> logger,
        TimeProvider? timeProvider = null)
    {
        _store = store;
        _options = options.Value;
        _gate = gate;
        _observers = observers;
        _logger = logger;
        _time = timeProvider ?? TimeProvider.System;
        _configuredAllowList = IpAllowList.Parse(_options.AllowedNetworks, "MaintenanceMode:AllowedNetworks");
        _current = Compute([]);
        _gate.SetActive(_current.IsActive);
        if (_current.IsActive)
        {
            // Forced on by configuration: observers hear of it like of any other start (dispatched once started).
            _transitions.Writer.TryWrite(_current);
        }
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
        if (_options.Enabled)
        {
            MaintenanceLog.ForcedByConfiguration(_logger, _options.ApplicationName);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.StartupTimeout);
            await ReloadAsync(timeout.Token, throwOnError: true).ConfigureAwait(false);
            MaintenanceLog.StateLoaded(_logger, _options.ApplicationName, _current.IsActive, _current.Effective.Reason);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            MarkUnhealthy(ex, log: false);
            MaintenanceLog.StartupFallback(_logger, _options.StartupTimeout, _current.IsActive ? "forced on" : "off", ex);
        }

        var token = _stopping.Token;
        _background = Task.WhenAll(
            Task.Run(() => WatchLoopAsync(token), CancellationToken.None),
            Task.Run(() => PollLoopAsync(token), CancellationToken.None),
            Task.Run(() => DispatchTransitionsAsync(token), CancellationToken.None));
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

        _transitions.Writer.TryComplete();
        try
        {
            await _background.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Host shutdown timeout: background loops end on their own.
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

    /// <summary>Reads the store and swaps the snapshot. Serialised; safe to call from anywhere.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken, bool throwOnError = false)
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
                return;
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
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    private MaintenanceSnapshot Compute(IReadOnlyList<MaintenanceState> states) =>
        MaintenanceSnapshot.Compute(_options.ApplicationName, states, _configuredAllowList, _options.Enabled, _time.GetUtcNow());

    private void Swap(MaintenanceSnapshot next)
    {
        var previous = _current;
        _current = next;
        ScheduleBoundary(next.NextBoundary);
        if (previous.IsActive != next.IsActive)
        {
            _gate.SetActive(next.IsActive);
            if (next.IsActive)
            {
                MaintenanceLog.MaintenanceStarted(_logger, next.Application, next.Effective.Application, next.Mode, next.Effective.Reason);
            }
            else
            {
                MaintenanceLog.MaintenanceEnded(_logger, next.Application);
            }

            _transitions.Writer.TryWrite(next);
        }
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

        _boundaryTimer = _time.CreateTimer(static s => ((MaintenanceStateMonitor)s!).OnBoundary(), this, due, Timeout.InfiniteTimeSpan);
    }

    private void OnBoundary() => _ = RecomputeAsync();

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

    private async Task WatchLoopAsync(CancellationToken token)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _store.WatchAsync(ReloadAsyncFromWatch, token).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(100);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                MaintenanceLog.WatchFailed(_logger, delay, ex);
            }

            try
            {
                await Task.Delay(delay, _time, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxWatchBackoff.Ticks));
        }
    }

    private Task ReloadAsyncFromWatch(CancellationToken token) => ReloadAsync(token);

    private async Task PollLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.StatePollInterval, _time, token).ConfigureAwait(false);
                await ReloadAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A store that times out on its own: keep the last state and poll again.
                MarkUnhealthy(ex, log: true);
            }
        }
    }

    private async Task DispatchTransitionsAsync(CancellationToken token)
    {
        try
        {
            await foreach (var snapshot in _transitions.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                foreach (var observer in _observers)
                {
                    var hook = snapshot.IsActive ? nameof(IMaintenanceModeObserver.OnMaintenanceStartedAsync) : nameof(IMaintenanceModeObserver.OnMaintenanceEndedAsync);
                    try
                    {
                        await (snapshot.IsActive
                            ? observer.OnMaintenanceStartedAsync(snapshot.Effective, token)
                            : observer.OnMaintenanceEndedAsync(snapshot.Effective, token)).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        MaintenanceLog.ObserverFailed(_logger, observer.GetType().Name, hook, ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
