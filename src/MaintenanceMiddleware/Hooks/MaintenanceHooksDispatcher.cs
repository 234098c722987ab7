using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Feeds the hooks from the state monitor's snapshot callback: flips the gates at once (inside the swap) — this
/// application's and each declared application's — and runs the observers of each transition in order, on its own
/// queue, once the host has started: the <see cref="IMaintenanceModeObserver"/>s for this application, and the ones
/// registered for one application (<c>AddMaintenanceModeObserver&lt;T&gt;("Storefront")</c>) for that one.
/// A failing observer is logged and does not stop the others.
/// </summary>
internal sealed class MaintenanceHooksDispatcher : IMaintenanceSnapshotListener, IHostedService, IDisposable
{
    private readonly Channel<Transition> _transitions = Channel.CreateUnbounded<Transition>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly MaintenanceApplicationGates _gates;
    private readonly IMaintenanceModeObserver[] _observers;
    private readonly (string Application, IMaintenanceModeObserver Observer)[] _applicationObservers;
    private readonly ILogger _logger;
    private readonly RequestDrain? _drain;
    private Task _dispatching = Task.CompletedTask;
    private volatile MaintenanceSnapshot? _last;
    private int _pending;
    private int _disposed;

    public MaintenanceHooksDispatcher(
        MaintenanceApplicationGates gates,
        IEnumerable<IMaintenanceModeObserver> observers,
        IEnumerable<ApplicationObserverRegistration> applicationObservers,
        IServiceProvider services,
        ILogger<MaintenanceHooksDispatcher> logger,
        RequestDrain? drain = null)
    {
        _gates = gates;
        _drain = drain;
        _observers = [.. observers];
        _applicationObservers = [.. applicationObservers.Select(r => (r.Application, r.Factory(services)))];
        _logger = logger;
    }

    /// <summary>A dispatcher for this application's gate and observers only (no other application declared).</summary>
    internal MaintenanceHooksDispatcher(MaintenanceModeGate gate, IEnumerable<IMaintenanceModeObserver> observers, ILogger<MaintenanceHooksDispatcher> logger)
    {
        _gates = gate.Registry ?? new MaintenanceApplicationGates(gate, MaintenanceState.AllApplications, []);
        _observers = [.. observers];
        _applicationObservers = [];
        _logger = logger;
    }

    /// <summary>
    /// The last snapshot the gates were flipped for and its transitions queued. Read it before <see cref="PendingTransitions"/>:
    /// a transition is counted before its snapshot is published here, so the pair never claims more progress than there is.
    /// </summary>
    public MaintenanceSnapshot? Last => _last;

    /// <summary>Transitions whose observers have not finished yet (queued or running).</summary>
    public int PendingTransitions => Volatile.Read(ref _pending);

    /// <summary>Raised after each snapshot is handled and after the observers of each transition have finished.</summary>
    public event Action? Progressed;

    public void OnSnapshotChanged(MaintenanceSnapshot? previous, MaintenanceSnapshot current)
    {
        // The first snapshot counts as a transition when it is active (maintenance forced by configuration at start).
        var own = current.Applications.Find(current.Application) ?? new ApplicationMaintenance(current.Application, current.IsActive, current.Effective);
        _gates.Own.SetCurrent(own);
        if ((previous?.IsActive ?? false) != current.IsActive)
        {
            _gates.Own.SetActive(current.IsActive);
            _drain?.OnTransition(current.IsActive, current);
            Queue(new Transition(current.Application, Own: true, current.IsActive, current.Effective));
        }

        foreach (var name in _gates.Names)
        {
            if (string.Equals(name, _gates.OwnName, StringComparison.OrdinalIgnoreCase) || current.Applications.Find(name) is not { } now)
            {
                continue;
            }

            var wasActive = previous?.Applications.Find(name)?.IsActive ?? false;
            var gate = _gates.Find(name)!;
            gate.SetCurrent(now);
            if (wasActive != now.IsActive)
            {
                gate.SetActive(now.IsActive);
                Queue(new Transition(name, Own: false, now.IsActive, now.Effective));
            }
        }

        _last = current;
        Progressed?.Invoke();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var token = _stopping.Token;
        _dispatching = Task.Run(() => DispatchAsync(token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stopping after disposal is a no-op (a host can be stopped twice and disposed in between).
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
            await _dispatching.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Host shutdown timeout: the observer in flight ends on its own.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task DispatchAsync(CancellationToken token)
    {
        try
        {
            await foreach (var transition in _transitions.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (transition.Own)
                {
                    foreach (var observer in _observers)
                    {
                        await NotifyAsync(observer, transition, token).ConfigureAwait(false);
                    }
                }

                foreach (var (application, observer) in _applicationObservers)
                {
                    if (string.Equals(application, transition.Application, StringComparison.OrdinalIgnoreCase))
                    {
                        await NotifyAsync(observer, transition, token).ConfigureAwait(false);
                    }
                }

                Interlocked.Decrement(ref _pending);
                Progressed?.Invoke();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private void Queue(Transition transition)
    {
        Interlocked.Increment(ref _pending);
        if (!_transitions.Writer.TryWrite(transition))
        {
            // Stopped: no observer will run it.
            Interlocked.Decrement(ref _pending);
        }
    }

    private async Task NotifyAsync(IMaintenanceModeObserver observer, Transition transition, CancellationToken token)
    {
        try
        {
            await (transition.Active
                ? observer.OnMaintenanceStartedAsync(transition.State, token)
                : observer.OnMaintenanceEndedAsync(transition.State, token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            var hook = transition.Active ? nameof(IMaintenanceModeObserver.OnMaintenanceStartedAsync) : nameof(IMaintenanceModeObserver.OnMaintenanceEndedAsync);
            MaintenanceLog.ObserverFailed(_logger, observer.GetType().Name, hook, ex);
        }
    }

    private sealed record Transition(string Application, bool Own, bool Active, MaintenanceState State);
}
