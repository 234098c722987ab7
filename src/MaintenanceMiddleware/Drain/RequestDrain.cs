using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// What is still running from before this application's maintenance started: requests that were in flight at the
/// switch, and long-lived connections (WebSocket, server-sent events) of visitors who are not let through, which are
/// ended once <see cref="MaintenanceModeOptions.DrainTimeout"/> has passed. The instance reporter reads it.
/// </summary>
/// <remarks>
/// In flight at the switch = every request the hosting layer has open (<see cref="HostingActiveRequests"/>) minus the
/// ones on the middleware's cold path (every request that reached the middleware since the switch passes there) minus
/// the kept long-lived ones. That is an upper bound of the requests left from before the switch (a request that has
/// just left the middleware is still open in hosting for a moment), and the true number only falls, so the drain keeps
/// the lowest value seen and is done when it reaches 0. The maintenance-off path costs nothing for this; see
/// docs/benchmarks.md section 6.
/// </remarks>
internal sealed class RequestDrain : IDisposable
{
    private readonly Lock _lock = new();
    private readonly HostingActiveRequests _hosting;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private long _cold;
    private bool _active;
    private bool _pending;
    private long _lowest;
    private int _inFlight;
    private bool _drained = true;
    private MaintenanceSnapshot? _snapshot;
    private ITimer? _timer;

    /// <summary>A drain for tests and tools with the system clock; only the hosting meter created by <paramref name="meterScope"/> counts (null: any in the process).</summary>
    internal RequestDrain(TimeSpan drainTimeout, object? meterScope)
        : this(Options.Create(new MaintenanceModeOptions { DrainTimeout = drainTimeout }), TimeProvider.System, NullLogger<RequestDrain>.Instance, meterScope)
    {
    }

    public RequestDrain(IOptions<MaintenanceModeOptions> options, TimeProvider timeProvider, ILogger<RequestDrain> logger, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
        : this(options, timeProvider, logger, (object?)meterFactory)
    {
    }

    private RequestDrain(IOptions<MaintenanceModeOptions> options, TimeProvider timeProvider, ILogger<RequestDrain> logger, object? meterFactory)
    {
        _time = timeProvider;
        _timeout = options.Value.DrainTimeout;
        _logger = logger;
        LongLived = new LongLivedConnections(Evaluate);
        _hosting = new HostingActiveRequests(meterFactory, Evaluate);
    }

    /// <summary>
    /// Raised when <see cref="Drained"/> may have changed, so the instance reports at once. It runs on the thread that
    /// noticed (the snapshot swap, a request that just ended, the drain timer): handlers only signal, they do no I/O.
    /// </summary>
    public event Action? Changed;

    /// <summary>Requests in flight since before maintenance started that have not finished (0 when maintenance is off).</summary>
    public int InFlightRequests => Volatile.Read(ref _inFlight);

    /// <summary>Open long-lived connections of visitors who are not let through (0 when maintenance is off).</summary>
    public int OpenLongLivedConnections => LongLived.Doomed;

    /// <summary>Whether nothing from before the switch is still running, or the drain timeout has passed and the connections were ended.</summary>
    public bool Drained => Volatile.Read(ref _drained);

    /// <summary>The WebSocket and server-sent-event requests that began while maintenance was off.</summary>
    internal LongLivedConnections LongLived { get; }

    /// <summary>Requests on the middleware's cold path now (maintenance in force, or a live bypass link).</summary>
    internal long ColdPathRequests => Interlocked.Read(ref _cold);

    /// <summary>
    /// Tells the drain that this application's maintenance started or ended (called from the snapshot swap), with the
    /// snapshot that decides which long-lived connections are kept (none given: all are kept).
    /// </summary>
    public void OnTransition(bool active, MaintenanceSnapshot? snapshot = null)
    {
        bool changed;
        lock (_lock)
        {
            _snapshot = snapshot;
            if (active == _active)
            {
                return;
            }

            _active = active;
            _timer?.Dispose();
            _timer = null;
            if (!active)
            {
                LongLived.Forget();
                _pending = false;
                Volatile.Write(ref _inFlight, 0);
                changed = !_drained;
                Volatile.Write(ref _drained, true);
            }
            else
            {
                LongLived.Decide(LetsThrough);
                _lowest = long.MaxValue;
                _pending = true;
                changed = _drained;
                Volatile.Write(ref _drained, false);
                if (_timeout > TimeSpan.Zero)
                {
                    _timer = _time.CreateTimer(static state => ((RequestDrain)state!).TimedOut(), this, _timeout, Timeout.InfiniteTimeSpan);
                }
            }
        }

        if (active && _timeout <= TimeSpan.Zero)
        {
            TimedOut();
            return;
        }

        if (changed)
        {
            Changed?.Invoke();
        }

        Evaluate();
    }

    /// <summary>
    /// For a request that itself waits for the drain (an enable or disable with a wait, sent to this instance): it must
    /// not count as in flight from before the switch, or it would wait for itself until the drain timeout. Counted as
    /// the cold path's requests are, until the returned handle is disposed.
    /// </summary>
    internal IDisposable NotDraining()
    {
        ColdPathEntered();
        return new ColdPathLease(this);
    }

    /// <summary>A request entered the middleware's cold path.</summary>
    internal void ColdPathEntered() => Interlocked.Increment(ref _cold);

    /// <summary>A request left the middleware's cold path (its task completed).</summary>
    internal void ColdPathLeft()
    {
        Interlocked.Decrement(ref _cold);
        Evaluate();
    }

    /// <summary>Counts a cold-path task out once it completes (allocates only when it is really asynchronous).</summary>
    internal Task LeaveColdPathWhenDone(Task task)
    {
        if (task.IsCompleted)
        {
            ColdPathLeft();
            return task;
        }

        return LeaveWhenDoneAsync(task);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }

        _hosting.Dispose();
    }

    private async Task LeaveWhenDoneAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        finally
        {
            ColdPathLeft();
        }
    }

    private bool LetsThrough(LongLivedRequest request) =>
        _snapshot is not { } snapshot || MaintenanceModeMiddleware.LetsThrough(snapshot, request, _time.GetUtcNow());

    // Called on every request end while a drain is in progress (a volatile read otherwise).
    private void Evaluate()
    {
        if (!Volatile.Read(ref _pending))
        {
            return;
        }

        var estimate = Math.Max(0, _hosting.Active - Interlocked.Read(ref _cold) - LongLived.Kept);
        if (estimate >= Volatile.Read(ref _lowest) && estimate != 0)
        {
            return;
        }

        var finished = false;
        lock (_lock)
        {
            if (!_pending)
            {
                return;
            }

            if (estimate < _lowest)
            {
                _lowest = estimate;
                Volatile.Write(ref _inFlight, (int)Math.Min(estimate, int.MaxValue));
            }

            if (_lowest == 0 && LongLived.Doomed == 0)
            {
                _pending = false;
                _timer?.Dispose();
                _timer = null;
                Volatile.Write(ref _drained, true);
                finished = true;
            }
        }

        if (finished)
        {
            MaintenanceLog.Drained(_logger);
            Changed?.Invoke();
        }
    }

    private void TimedOut()
    {
        int left;
        lock (_lock)
        {
            if (!_pending)
            {
                return;
            }

            _pending = false;
            _timer?.Dispose();
            _timer = null;
            left = _inFlight;
            Volatile.Write(ref _drained, true);
        }

        var aborted = LongLived.AbortDoomed();
        MaintenanceLog.DrainTimedOut(_logger, _timeout, left, aborted);
        Changed?.Invoke();
    }

    private sealed class ColdPathLease(RequestDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                drain.ColdPathLeft();
            }
        }
    }
}
