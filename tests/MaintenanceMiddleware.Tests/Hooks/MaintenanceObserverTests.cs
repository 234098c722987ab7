using MaintenanceMiddleware;
using MaintenanceMiddleware.Tests.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Hooks;

public sealed class MaintenanceObserverTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => _dir.Combine("state.json");

    [Fact]
    public async Task Observers_are_called_when_maintenance_begins_and_ends()
    {
        var observer = new RecordingObserver();
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath, s => s.AddSingleton<IMaintenanceModeObserver>(observer));

        await host.Service.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "Release 42" });
        var started = await observer.NextAsync(s_timeout, "started");
        await host.Service.DisableAsync(new DisableMaintenanceRequest { Application = "Storefront", Reason = "Release 42 done" });
        var ended = await observer.NextAsync(s_timeout, "ended");

        Assert.Equal("started", started.Hook);
        Assert.Equal("Release 42", started.State.Reason);
        Assert.Equal("ended", ended.Hook);
        Assert.False(ended.State.Enabled);
    }

    [Fact]
    public async Task A_failing_observer_is_logged_and_does_not_stop_the_others()
    {
        var observer = new RecordingObserver();
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath, s =>
        {
            s.AddSingleton<IMaintenanceModeObserver, ThrowingObserver>();
            s.AddSingleton<IMaintenanceModeObserver>(observer);
        });

        await host.Service.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "Release 42" });

        Assert.Equal("started", (await observer.NextAsync(s_timeout, "started")).Hook);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "ObserverFailed" && r.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Scheduled_window_starts_and_ends_on_the_clock_without_a_write()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var observer = new RecordingObserver();
        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath, s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<IMaintenanceModeObserver>(observer);
        });
        var startsAt = time.GetUtcNow().AddMinutes(10);

        await host.Service.EnableAsync(new EnableMaintenanceRequest
        {
            Application = "Storefront",
            Reason = "Scheduled release",
            StartsAt = startsAt,
            Duration = TimeSpan.FromMinutes(15),
        });

        // The monitor has read the window (through the file watcher) and waits for its start.
        await FileStoreTestHelpers.WaitUntilAsync(() => host.Monitor.Current.NextBoundary == startsAt, s_timeout, "the monitor schedules the start");
        Assert.False(host.Gate.IsActive);
        Assert.Equal(200, await host.GetStatusCodeAsync());
        Assert.False(observer.TryGetNext(out _));

        time.Advance(TimeSpan.FromMinutes(10));
        var started = await observer.NextAsync(s_timeout, "started at the scheduled start");
        Assert.Equal("started", started.Hook);
        Assert.True(host.Gate.IsActive);
        Assert.Equal(503, await host.GetStatusCodeAsync());

        time.Advance(TimeSpan.FromMinutes(15));
        var ended = await observer.NextAsync(s_timeout, "ended at the scheduled end");
        Assert.Equal("ended", ended.Hook);
        Assert.False(host.Gate.IsActive);
        Assert.Equal(200, await host.GetStatusCodeAsync());
        Assert.Single(await host.Service.GetAuditTrailAsync("Storefront"));
    }

    [Fact]
    public async Task Hooks_fire_on_a_second_host_sharing_the_file_store()
    {
        var observerB = new RecordingObserver();
        await using var hostA = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath);
        await using var hostB = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath, s => s.AddSingleton<IMaintenanceModeObserver>(observerB));

        await hostA.Service.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "Release 42 via A" });
        var started = await observerB.NextAsync(s_timeout, "started on host B");
        Assert.Equal("started", started.Hook);
        Assert.Equal("Release 42 via A", started.State.Reason);
        Assert.Equal(503, await hostB.GetStatusCodeAsync());

        await hostA.Service.DisableAsync(new DisableMaintenanceRequest { Application = "Storefront", Reason = "done via A" });
        var ended = await observerB.NextAsync(s_timeout, "ended on host B");
        Assert.Equal("ended", ended.Hook);
        await hostB.WaitForStatusAsync(200, s_timeout);
    }

    [Fact]
    public async Task Maintenance_forced_by_configuration_is_reported_to_observers_and_the_gate_at_start()
    {
        var observer = new RecordingObserver();
        await using var host = await MaintenanceTestHost.StartAsync(
            _dir.Path,
            StatePath,
            s => s.AddSingleton<IMaintenanceModeObserver>(observer),
            configureOptions: o => o.Enabled = true);

        var started = await observer.NextAsync(s_timeout, "started (forced by configuration)");

        Assert.Equal("started", started.Hook);
        Assert.True(host.Gate.IsActive);
        Assert.True(host.Gate.MaintenanceStartedToken.IsCancellationRequested);
        Assert.Equal(503, await host.GetStatusCodeAsync());
    }

    [Fact]
    public async Task Maintenance_already_on_in_the_store_is_reported_to_observers_at_start()
    {
        await FileStoreTestHelpers.EnableAsync(FileStoreTestHelpers.Service(FileStoreTestHelpers.Store(StatePath)), "Storefront");
        var observer = new RecordingObserver();

        await using var host = await MaintenanceTestHost.StartAsync(_dir.Path, StatePath, s => s.AddSingleton<IMaintenanceModeObserver>(observer));

        Assert.Equal("started", (await observer.NextAsync(s_timeout, "started")).Hook);
        Assert.True(host.Gate.IsActive);
        Assert.False(observer.TryGetNext(out _));
    }

    private sealed class ThrowingObserver : IMaintenanceModeObserver
    {
        public Task OnMaintenanceStartedAsync(MaintenanceState state, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");

        public Task OnMaintenanceEndedAsync(MaintenanceState state, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }
}
