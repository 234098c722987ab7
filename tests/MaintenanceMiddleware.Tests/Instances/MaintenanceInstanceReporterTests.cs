using MaintenanceMiddleware;
using MaintenanceMiddleware.Tests.Hooks;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Instances;

/// <summary>An instance reports itself: on start, on every change it applies, when it has drained, on heartbeats; a clean stop deregisters.</summary>
public sealed class MaintenanceInstanceReporterTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly InMemoryMaintenanceStateStore _store = new();

    [Fact]
    public async Task A_started_instance_is_listed_with_who_it_is_and_what_it_applied()
    {
        await _store.SaveAsync(MaintenanceState.Off("Storefront") with { Version = 4 }, 0, Audit("Storefront"));
        await using var host = await InstanceTestHost.StartAsync(_store, configure: o => o.Applications.Add("BackOffice"));

        var report = await ReportAsync(r => r.AppliedVersionOf("Storefront") == 4 && r.Drained);

        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", report.InstanceId);
        Assert.Equal("Storefront", report.Application);
        Assert.Equal(["BackOffice"], report.Applications);
        Assert.Equal(Environment.MachineName, report.HostName);
        Assert.Equal(Environment.ProcessId, report.ProcessId);
        Assert.Equal(TimeSpan.FromSeconds(1), report.HeartbeatInterval);
        Assert.False(report.InMaintenance);
        Assert.False(report.ForcedByConfiguration);
        Assert.False(report.BackgroundPaused);
        Assert.Null(report.Pending);
        Assert.NotNull(report.LibraryVersion);
        Assert.InRange(report.StartedAt, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow);
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Name == "InstanceRegistered");
    }

    [Fact]
    public async Task Enabling_is_confirmed_once_the_observers_have_paused_the_background_work()
    {
        var observer = new BlockingObserver();
        await using var host = await InstanceTestHost.StartAsync(_store, services: s => s.AddSingleton<IMaintenanceModeObserver>(observer));
        await ReportAsync(r => r.Drained);

        var state = await host.Service.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "Release 42" });
        var waiting = host.Service.WaitForInstancesAsync("Storefront", state.Version, TimeSpan.FromSeconds(20));

        var draining = await ReportAsync(r => r.AppliedVersionOf("Storefront") == state.Version);
        Assert.True(draining.InMaintenance);
        Assert.False(draining.Drained);
        Assert.False(draining.BackgroundPaused);
        Assert.Equal("observers running", draining.Pending);
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted);

        observer.Release();
        var result = await waiting.WaitAsync(s_timeout);
        Assert.True(result.Confirmed);
        var confirmed = Assert.Single(result.Instances);
        Assert.Equal(MaintenanceInstanceOutcome.Confirmed, confirmed.Outcome);
        Assert.True(confirmed.Report!.BackgroundPaused);
    }

    [Fact]
    public async Task Forced_on_by_configuration_is_reported()
    {
        await using var host = await InstanceTestHost.StartAsync(_store, configure: o => o.Enabled = true);
        var report = await ReportAsync(r => r.Drained);
        Assert.True(report.ForcedByConfiguration);
        Assert.True(report.InMaintenance);
    }

    [Fact]
    public async Task Heartbeats_refresh_the_entry_and_a_clean_stop_removes_it()
    {
        var host = await InstanceTestHost.StartAsync(_store);
        var first = await ReportAsync(r => true);
        var later = await ReportAsync(r => r.LastHeartbeat >= first.LastHeartbeat.AddSeconds(0.9));
        Assert.Equal(first.SessionId, later.SessionId);

        await host.StopAsync();
        Assert.Empty((await _store.GetInstancesAsync()).Instances);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task A_second_process_claiming_a_live_id_reports_under_its_own_suffix_and_logs_an_error()
    {
        var other = TestReport("web-7") with { SessionId = "abcdef123456", HostName = "elsewhere", ProcessId = 99 };
        await _store.ReportAsync(other);

        await using var host = await InstanceTestHost.StartAsync(_store, configure: o => o.InstanceId = "web-7");
        var session = host.Reporter.Identity.SessionId;
        var mine = await ReportAsync(r => r.SessionId == session);

        Assert.Equal($"web-7#{session[..6]}", mine.InstanceId);
        Assert.Equal("abcdef123456", (await _store.GetInstancesAsync()).Instances.Single(i => i.InstanceId == "web-7").SessionId);
        var error = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Name == "DuplicateInstanceId");
        Assert.Contains("already reports as 'web-7'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restart_of_the_same_host_and_process_id_takes_its_old_entry_over()
    {
        await _store.ReportAsync(TestReport("web-8") with { SessionId = "previous-run", HostName = Environment.MachineName, ProcessId = Environment.ProcessId });

        await using var host = await InstanceTestHost.StartAsync(_store, configure: o => o.InstanceId = "web-8");
        var mine = await ReportAsync(r => r.SessionId == host.Reporter.Identity.SessionId);

        Assert.Equal("web-8", mine.InstanceId);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "DuplicateInstanceId");
    }

    private async Task<MaintenanceInstanceReport> ReportAsync(Func<MaintenanceInstanceReport, bool> condition)
    {
        var deadline = DateTime.UtcNow + s_timeout;
        while (true)
        {
            var list = await _store.GetInstancesAsync();
            if (list.Instances.FirstOrDefault(condition) is { } report)
            {
                return report;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no report matched; reports: {string.Join("; ", list.Instances)}");
            await Task.Delay(50);
        }
    }

    private static MaintenanceInstanceReport TestReport(string id) => InstanceConfirmationWaiterTests.Report(id, "Storefront", 1) with { LastHeartbeat = DateTimeOffset.UtcNow };

    private static MaintenanceAuditEntry Audit(string application) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Action = MaintenanceAction.Disable,
        Application = application,
        Reason = "test",
        Actor = "tester",
        Source = "test",
        Before = MaintenanceState.Off(application),
        After = MaintenanceState.Off(application),
    };

    private sealed class BlockingObserver : IMaintenanceModeObserver
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _released.TrySetResult();

        public Task OnMaintenanceStartedAsync(MaintenanceState state, CancellationToken cancellationToken) => _released.Task.WaitAsync(cancellationToken);

        public Task OnMaintenanceEndedAsync(MaintenanceState state, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
