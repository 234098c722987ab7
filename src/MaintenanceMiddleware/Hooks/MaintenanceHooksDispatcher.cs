using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Feeds the hooks from the state monitor's snapshot callback: flips the gate at once (inside the swap), and runs the
/// <see cref="IMaintenanceModeObserver"/>s of each transition in order, on its own queue, once the host has started.
/// A failing observer is logged and does not stop the others.
/// </summary>
internal sealed class MaintenanceHooksDispatcher(
    MaintenanceModeGate gate,
    IEnumerable<IMaintenanceModeObserver> observers,
    ILogger<MaintenanceHooksDispatcher> logger) : IMaintenanceSnapshotListener, IHostedService, IDisposable
{
    private readonly Channel<MaintenanceSnapshot> _transitions = Channel.CreateUnbounded<MaintenanceSnapshot>(new() { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task _dispatching = Task.CompletedTask;
    private int _disposed;

    public void OnSnapshotChanged(MaintenanceSnapshot? previous, MaintenanceSnapshot current)
    {
        // The first snapshot counts as a transition when it is active (maintenance forced by configuration at start).
        if ((previous?.IsActive ?? false) == current.IsActive)
        {
            return;
        }

        gate.SetActive(current.IsActive);
        _transitions.Writer.TryWrite(current);
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
            await foreach (var snapshot in _transitions.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                var hook = snapshot.IsActive ? nameof(IMaintenanceModeObserver.OnMaintenanceStartedAsync) : nameof(IMaintenanceModeObserver.OnMaintenanceEndedAsync);
                foreach (var observer in observers)
                {
                    try
                    {
                        await (snapshot.IsActive
                            ? observer.OnMaintenanceStartedAsync(snapshot.Effective, token)
                            : observer.OnMaintenanceEndedAsync(snapshot.Effective, token)).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        MaintenanceLog.ObserverFailed(logger, observer.GetType().Name, hook, ex);
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
