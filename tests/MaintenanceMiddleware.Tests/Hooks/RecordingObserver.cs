using System.Threading.Channels;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Tests.Hooks;

/// <summary>Records every hook call, in order, for tests to await.</summary>
internal sealed class RecordingObserver : IMaintenanceModeObserver
{
    private readonly Channel<(string Hook, MaintenanceState State)> _calls = Channel.CreateUnbounded<(string, MaintenanceState)>();

    public Task OnMaintenanceStartedAsync(MaintenanceState state, CancellationToken cancellationToken)
    {
        _calls.Writer.TryWrite(("started", state));
        return Task.CompletedTask;
    }

    public Task OnMaintenanceEndedAsync(MaintenanceState state, CancellationToken cancellationToken)
    {
        _calls.Writer.TryWrite(("ended", state));
        return Task.CompletedTask;
    }

    /// <summary>The next hook call, or a timeout that says which call was expected.</summary>
    public async Task<(string Hook, MaintenanceState State)> NextAsync(TimeSpan timeout, string expected)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _calls.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No observer call within {timeout.TotalSeconds} s; expected '{expected}'.");
        }
    }

    public bool TryGetNext(out (string Hook, MaintenanceState State) call) => _calls.Reader.TryRead(out call);
}
