using MaintenanceMiddleware;
using MaintenanceMiddleware.Tests.State;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Hooks;

public sealed class MaintenanceModeGateTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task New_gate_is_inactive_with_a_live_token_and_nothing_to_wait_for()
    {
        using var gate = new MaintenanceModeGate();

        Assert.False(gate.IsActive);
        Assert.False(gate.MaintenanceStartedToken.IsCancellationRequested);
        Assert.True(gate.WaitUntilEndedAsync().IsCompletedSuccessfully);
        await gate.WaitUntilEndedAsync();
    }

    [Fact]
    public async Task Begin_cancels_the_token_handed_out_before_and_end_releases_waiters()
    {
        using var gate = new MaintenanceModeGate();
        var token = gate.MaintenanceStartedToken;

        gate.SetActive(true);

        Assert.True(gate.IsActive);
        Assert.True(token.IsCancellationRequested);
        Assert.True(gate.MaintenanceStartedToken.IsCancellationRequested, "While maintenance is on, the token is already cancelled.");
        var waiting = gate.WaitUntilEndedAsync();
        Assert.False(waiting.IsCompleted);

        gate.SetActive(false);

        await waiting.WaitAsync(s_timeout);
        Assert.False(gate.IsActive);
        Assert.False(gate.MaintenanceStartedToken.IsCancellationRequested, "After maintenance ends, a fresh token is handed out.");
        Assert.True(token.IsCancellationRequested);
    }

    [Fact]
    public async Task Second_maintenance_window_cancels_the_token_handed_out_in_between()
    {
        using var gate = new MaintenanceModeGate();
        gate.SetActive(true);
        gate.SetActive(false);
        var token = gate.MaintenanceStartedToken;

        gate.SetActive(true);

        Assert.True(token.IsCancellationRequested);
        var waiting = gate.WaitUntilEndedAsync();
        Assert.False(waiting.IsCompleted);
        gate.SetActive(false);
        await waiting.WaitAsync(s_timeout);
    }

    [Fact]
    public async Task Waiting_can_be_cancelled_by_the_caller()
    {
        using var gate = new MaintenanceModeGate();
        gate.SetActive(true);
        using var cts = new CancellationTokenSource();

        var waiting = gate.WaitUntilEndedAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.True(gate.IsActive);
    }

    [Fact]
    public async Task Gate_of_a_running_host_follows_enable_and_disable()
    {
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, _dir.Combine("state.json"));
        var gate = host.Gate;
        var started = gate.MaintenanceStartedToken;
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = started.Register(() => fired.TrySetResult());
        Assert.False(gate.IsActive);

        await host.Service.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "Release 42" });

        await fired.Task.WaitAsync(s_timeout);
        Assert.True(gate.IsActive);
        var ended = gate.WaitUntilEndedAsync();
        Assert.False(ended.IsCompleted);

        await host.Service.DisableAsync(new DisableMaintenanceRequest { Application = "Storefront", Reason = "Release 42 done" });

        await ended.WaitAsync(s_timeout);
        Assert.False(gate.IsActive);
    }

    [Fact]
    public async Task A_throwing_token_callback_is_logged_and_does_not_stop_the_gate_or_the_observers()
    {
        var observer = new RecordingObserver();
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, _dir.Combine("state.json"), s => s.AddSingleton<IMaintenanceModeObserver>(observer));
        using var registration = host.Gate.MaintenanceStartedToken.Register(() => throw new InvalidOperationException("background job cleanup failed"));

        await host.Service.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "Release 42" });

        Assert.Equal("started", (await observer.NextAsync(s_timeout, "started")).Hook);
        Assert.True(host.Gate.IsActive);
        await FileStoreTestHelpers.WaitUntilAsync(
            () => host.Logs.GetSnapshot().Any(r => r.Id.Name == "GateCallbackFailed"),
            s_timeout,
            "the failing callback is logged");

        await host.Service.DisableAsync(new DisableMaintenanceRequest { Application = "Storefront", Reason = "done" });
        Assert.Equal("ended", (await observer.NextAsync(s_timeout, "ended")).Hook);
        await host.Gate.WaitUntilEndedAsync().WaitAsync(s_timeout);
    }

    [Fact]
    public async Task Environment_wide_maintenance_closes_the_gate_of_every_application()
    {
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, _dir.Combine("state.json"), application: "BackOffice");

        await host.Service.EnableAsync(new EnableMaintenanceRequest { Reason = "Database upgrade" });

        await FileStoreTestHelpers.WaitUntilAsync(() => host.Gate.IsActive, s_timeout, "the gate closes");
        Assert.True(host.Gate.MaintenanceStartedToken.IsCancellationRequested);
    }
}
