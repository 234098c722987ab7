using System.Net;
using MaintenanceMiddleware;
using MaintenanceMiddleware.Tests.Control;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>The state monitor: start-up, one owner of change detection (the store's watch), retries of a store that is down.</summary>
public sealed class MaintenanceStateMonitorTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Startup_with_a_store_that_fails_at_once_logs_its_error_not_a_timeout()
    {
        await using var host = await StartAsync(new FailingStore());

        var fallback = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "StartupFallback");
        Assert.Equal(
            "The maintenance state store could not be read (The store is unreachable (test)) at start-up; starting with maintenance off and converging once it answers.",
            fallback.Message);
        Assert.IsType<MaintenanceStoreException>(fallback.Exception);
        Assert.False(host.Monitor.StoreHealthy);
        Assert.Equal(200, (await host.SendAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task Startup_with_a_store_that_does_not_answer_logs_the_timeout()
    {
        var store = new ControllableStore { Hang = true };
        await using var host = await StartAsync(store, startupTimeout: "00:00:00.3");
        store.Hang = false;

        var fallback = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "StartupFallback");
        Assert.Equal(
            "The maintenance state store did not answer within 00:00:00.3000000 at start-up; starting with maintenance off and converging once it answers.",
            fallback.Message);
    }

    [Fact]
    public async Task A_store_that_is_down_at_start_is_retried_until_it_answers()
    {
        var store = new ControllableStore { Down = true };
        await EnableAsync(store.Inner);
        await using var host = await StartAsync(store);
        Assert.Equal(200, (await host.SendAsync("/")).Response.StatusCode); // the fallback: off

        await WaitUntilAsync(() => store.Reads >= 4, "the monitor retries the read while the store is down");
        Assert.False(host.Monitor.StoreHealthy);
        store.Down = false;

        await WaitForStatusAsync(host, 503);
        Assert.True(host.Monitor.StoreHealthy);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "StoreRecovered");
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "StoreUnavailable"); // retries are quiet: start-up said it once
    }

    [Fact]
    public async Task A_store_that_fails_while_watched_keeps_the_last_state_and_converges_once_back()
    {
        var store = new ControllableStore();
        await using var host = await StartAsync(store);
        await WaitUntilAsync(() => store.Reads >= 2, "the watch has started");
        store.Down = true;

        await EnableAsync(store.Inner); // the watch reports it; the read fails
        await WaitUntilAsync(() => !host.Monitor.StoreHealthy, "the failed read is noticed");
        Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "StoreUnavailable");
        Assert.Equal(200, (await host.SendAsync("/")).Response.StatusCode); // the last known state
        var reads = store.Reads;
        await WaitUntilAsync(() => store.Reads > reads + 2, "the monitor retries the read");

        store.Down = false; // no further write: the retry alone converges
        await WaitForStatusAsync(host, 503);
        Assert.True(host.Monitor.StoreHealthy);
    }

    [Fact]
    public async Task A_failed_watch_is_restarted_and_a_change_made_meanwhile_is_read()
    {
        var store = new ControllableStore { WatchFailures = 3 };
        await using var host = await StartAsync(store);

        await EnableAsync(store.Inner); // nobody watches now: the read before the restart finds it
        await WaitForStatusAsync(host, 503);
        var failed = host.Logs.GetSnapshot().Where(r => r.Id.Name == "WatchFailed").ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, r => Assert.IsType<InvalidOperationException>(r.Exception));

        await WaitUntilAsync(() => store.WatchFailures == 0, "the watch runs again");
        await new MaintenanceModeService(store.Inner, Microsoft.Extensions.Options.Options.Create(new MaintenanceModeOptions()))
            .DisableAsync(new DisableMaintenanceRequest { Application = RequestTestHostSetup.Application, Reason = "done" });
        await WaitForStatusAsync(host, 200); // reported by the restarted watch
    }

    [Fact]
    public async Task The_monitor_reads_the_store_only_when_its_watch_reports_a_change()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));
        var store = new ControllableStore();
        await using var host = await StartAsync(store, time: time);
        await WaitUntilAsync(() => store.Reads >= 2, "the watch has started (it reports once at its start)");
        var reads = store.Reads;

        // Ten idle minutes: no poll of its own (the store's watch owns change detection).
        for (var i = 0; i < 60; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await Task.Delay(300);
        Assert.Equal(reads, store.Reads);

        await EnableAsync(store.Inner);
        await WaitForStatusAsync(host, 503);
        Assert.Equal(reads + 1, store.Reads);
    }

    private static async Task<RequestTestHost> StartAsync(IMaintenanceStateStore store, string? startupTimeout = null, TimeProvider? time = null) =>
        await RequestTestHost.StartAsync(s =>
        {
            s.Store = store;
            s.Time = time;
            if (startupTimeout is not null)
            {
                s.Configuration["MaintenanceMode:StartupTimeout"] = startupTimeout;
            }
        });

    private static Task<MaintenanceState> EnableAsync(IMaintenanceStateStore store) =>
        new MaintenanceModeService(store, Microsoft.Extensions.Options.Options.Create(new MaintenanceModeOptions()))
            .EnableAsync(new EnableMaintenanceRequest { Application = RequestTestHostSetup.Application, Reason = "Release 42" });

    private static async Task WaitForStatusAsync(RequestTestHost host, int status)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        int last;
        while ((last = (await host.SendAsync("/", ip: IPAddress.Parse("203.0.113.50"))).Response.StatusCode) != status)
        {
            Assert.False(timeout.IsCancellationRequested, $"Still {last}, not {status}, after {s_timeout.TotalSeconds} s.");
            await Task.Delay(20);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"Timed out: {what}.");
            await Task.Delay(20);
        }
    }
}
