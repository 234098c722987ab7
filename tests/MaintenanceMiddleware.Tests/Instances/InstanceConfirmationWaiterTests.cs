using System.Diagnostics;
using MaintenanceMiddleware;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Instances;

/// <summary>Waiting for instances, over the in-memory registry whose clock the test moves (the store's clock decides liveness).</summary>
public sealed class InstanceConfirmationWaiterTests
{
    private readonly FakeTimeProvider _storeClock = new(DateTimeOffset.UtcNow);
    private readonly InMemoryMaintenanceStateStore _store;
    private readonly IMaintenanceModeService _service;

    public InstanceConfirmationWaiterTests()
    {
        _store = new InMemoryMaintenanceStateStore(_storeClock);
        _service = MaintenanceModeServiceFactory.Create(_store);
    }

    [Fact]
    public async Task With_no_live_instance_the_wait_ends_at_once_confirmed_and_says_so()
    {
        await _store.ReportAsync(Report("old", "Storefront", version: 1));
        _storeClock.Advance(TimeSpan.FromMinutes(1));
        await _store.ReportAsync(Report("back-1", "BackOffice", version: 1));

        var watch = Stopwatch.StartNew();
        var result = await _service.WaitForInstancesAsync("Storefront", 2, TimeSpan.FromSeconds(30));

        Assert.True(result.Confirmed);
        Assert.True(result.NoLiveInstance);
        Assert.Empty(result.Instances);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_wait_ends_when_the_last_instance_reports_the_version_drained()
    {
        await _store.ReportAsync(Report("web-1", "Storefront", version: 2, drained: true));
        await _store.ReportAsync(Report("web-2", "Storefront", version: 1));
        await _store.ReportAsync(Report("back-1", "BackOffice", version: 0));

        var waiting = _service.WaitForInstancesAsync("Storefront", 2, TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await _store.ReportAsync(Report("web-2", "Storefront", version: 2, drained: false) with { Pending = "1 request in flight" });
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await _store.ReportAsync(Report("web-2", "Storefront", version: 2, drained: true));

        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(result.Confirmed);
        Assert.False(result.NoLiveInstance);
        Assert.Equal(["web-1", "web-2"], result.Instances.Select(i => i.InstanceId));
        Assert.All(result.Instances, i => Assert.Equal(MaintenanceInstanceOutcome.Confirmed, i.Outcome));
    }

    [Fact]
    public async Task On_timeout_it_names_each_instance_that_did_not_confirm_and_why()
    {
        await _store.ReportAsync(Report("web-1", "Storefront", version: 5, drained: true));
        await _store.ReportAsync(Report("web-2", "Storefront", version: 4));
        await _store.ReportAsync(Report("web-3", "Storefront", version: 5) with { Pending = "observers running" });

        var result = await _service.WaitForInstancesAsync("Storefront", 5, TimeSpan.FromSeconds(1.5));

        Assert.False(result.Confirmed);
        Assert.Equal(TimeSpan.FromSeconds(1.5), result.Timeout);
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(1.5));
        Assert.Collection(
            result.Instances,
            i => Assert.Equal((MaintenanceInstanceOutcome.Confirmed, "applied v5, drained, serving"), (i.Outcome, i.Detail)),
            i => Assert.Equal((MaintenanceInstanceOutcome.NotApplied, "still on v4, not v5"), (i.Outcome, i.Detail)),
            i => Assert.Equal((MaintenanceInstanceOutcome.Draining, "applied v5, draining: observers running"), (i.Outcome, i.Detail)));
    }

    [Fact]
    public async Task An_instance_that_dies_mid_wait_is_named_gone_after_its_ttl_and_the_wait_fails_before_the_timeout()
    {
        await _store.ReportAsync(Report("web-1", "Storefront", version: 3, drained: true));
        await _store.ReportAsync(Report("web-2", "Storefront", version: 2));

        var watch = Stopwatch.StartNew();
        var waiting = _service.WaitForInstancesAsync("Storefront", 3, TimeSpan.FromSeconds(30));
        await Task.Delay(300);

        // web-1 keeps beating; web-2 froze: after three missed intervals (15 s by the store's clock) it is gone.
        _storeClock.Advance(TimeSpan.FromSeconds(16));
        await _store.ReportAsync(Report("web-1", "Storefront", version: 3, drained: true));
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(result.Confirmed);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var gone = Assert.Single(result.Instances, i => i.Outcome == MaintenanceInstanceOutcome.Gone);
        Assert.Equal("web-2", gone.InstanceId);
        Assert.StartsWith("no heartbeat for 16 s", gone.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_that_stops_cleanly_mid_wait_does_not_hold_the_change_up()
    {
        await _store.ReportAsync(Report("web-1", "Storefront", version: 3, drained: true));
        await _store.ReportAsync(Report("web-2", "Storefront", version: 2));

        var waiting = _service.WaitForInstancesAsync("Storefront", 3, TimeSpan.FromSeconds(30));
        await Task.Delay(300);
        await _store.RemoveAsync("web-2", "session-web-2");
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(result.Confirmed);
        Assert.Equal(MaintenanceInstanceOutcome.Stopped, result.Instances.Single(i => i.InstanceId == "web-2").Outcome);
    }

    [Fact]
    public async Task Star_waits_for_every_instance_and_a_declaring_instance_counts_for_its_application()
    {
        await _store.ReportAsync(Report("web-1", "Storefront", version: 0) with { AppliedVersions = new Dictionary<string, long> { ["*"] = 4 }, Drained = true });
        await _store.ReportAsync(Report("back-1", "BackOffice", version: 0) with { Applications = ["Storefront"], AppliedVersions = new Dictionary<string, long> { ["*"] = 3 } });

        var all = await _service.WaitForInstancesAsync("*", 4, TimeSpan.FromSeconds(1));
        Assert.False(all.Confirmed);
        Assert.Equal("back-1", Assert.Single(all.Instances, i => i.Outcome == MaintenanceInstanceOutcome.NotApplied).InstanceId);

        var storefront = await _service.WaitForInstancesAsync("Storefront", 1, TimeSpan.FromSeconds(1));
        Assert.Equal(["back-1", "web-1"], storefront.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0, "The wait must be positive (it was 00:00:00); leave it out to return without waiting.")]
    [InlineData(-5, "The wait must be positive (it was -00:00:05); leave it out to return without waiting.")]
    [InlineData(3601, "The wait must be at most 60 minutes (it was 01:00:01).")]
    public async Task A_zero_negative_or_huge_wait_is_refused_naming_the_field(int seconds, string message)
    {
        var error = await Assert.ThrowsAsync<MaintenanceValidationException>(() => _service.WaitForInstancesAsync("Storefront", 1, TimeSpan.FromSeconds(seconds)));
        Assert.Equal("wait", error.Field);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_store_without_a_registry_says_so()
    {
        var service = MaintenanceModeServiceFactory.Create(new StoreWithoutRegistry());
        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => service.WaitForInstancesAsync("Storefront", 1, TimeSpan.FromSeconds(5)));
        Assert.Equal("The state store (StoreWithoutRegistry) keeps no instance registry (IMaintenanceInstanceRegistry), so instances cannot be listed or waited for.", error.Message);
    }

    internal static MaintenanceInstanceReport Report(string id, string application, long version, bool drained = false) => new()
    {
        InstanceId = id,
        SessionId = "session-" + id,
        Application = application,
        HostName = "host",
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        AppliedVersions = new Dictionary<string, long> { [application] = version },
        Drained = drained,
    };

    private sealed class StoreWithoutRegistry : IMaintenanceStateStore
    {
        public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<MaintenanceState>>([]);

        public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<MaintenanceAuditEntry>>([]);

        public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
