using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Stores.Tests;

/// <summary>The contract of <see cref="IMaintenanceInstanceRegistry"/>, for every store that implements it (all shipped stores do).</summary>
public abstract partial class StoreConformanceTests
{
    /// <summary>How far the store's clock may be from this machine's (a server on the same machine: barely).</summary>
    protected virtual TimeSpan ClockTolerance => TimeSpan.FromSeconds(2);

    [Fact]
    public async Task The_store_is_an_instance_registry_and_a_new_one_lists_no_instance()
    {
        var registry = Registry(await OpenAsync());
        var list = await registry.GetInstancesAsync();
        Assert.Empty(list.Instances);
        Assert.Empty(list.Unreadable);
        Assert.InRange(list.AsOf, DateTimeOffset.UtcNow - ClockTolerance, DateTimeOffset.UtcNow + ClockTolerance);
    }

    [Fact]
    public async Task A_report_reads_back_with_every_field_from_another_instance_stamped_with_the_stores_time()
    {
        var writer = Registry(await OpenAsync());
        var reader = Registry(await OpenAsync());
        var report = Report("web-1", "Storefront") with
        {
            Applications = ["BackOffice"],
            ProcessId = 4242,
            StartedAt = new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero),
            LibraryVersion = "1.2.3",
            ForcedByConfiguration = true,
            HeartbeatInterval = TimeSpan.FromSeconds(7),
            AppliedVersions = new Dictionary<string, long> { ["Storefront"] = 12, ["*"] = 3 },
            InMaintenance = true,
            Drained = false,
            Pending = "2 requests in flight",
            InFlightRequests = 2,
            OpenLongLivedConnections = 1,
            BackgroundPaused = true,
            LastHeartbeat = new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };

        var before = DateTimeOffset.UtcNow;
        await writer.ReportAsync(report);
        var list = await reader.GetInstancesAsync();

        var read = Assert.Single(list.Instances);
        Assert.InRange(read.LastHeartbeat, before - ClockTolerance, DateTimeOffset.UtcNow + ClockTolerance);
        Assert.Equal(report with { LastHeartbeat = read.LastHeartbeat, AppliedVersions = read.AppliedVersions, Applications = read.Applications }, read);
        Assert.Equal(["BackOffice"], read.Applications);
        Assert.Equal(12, read.AppliedVersionOf("Storefront"));
        Assert.Equal(3, read.AppliedVersionOf("*"));
        Assert.Equal(0, read.AppliedVersionOf("BackOffice"));
        Assert.True(read.IsLiveAt(list.AsOf));
        Assert.Single(list.Live);
    }

    [Fact]
    public async Task A_second_report_of_one_id_replaces_the_first_and_other_ids_stay()
    {
        var registry = Registry(await OpenAsync());
        await registry.ReportAsync(Report("web-1", "Storefront"));
        await registry.ReportAsync(Report("web-2", "Storefront"));
        await registry.ReportAsync(Report("web-1", "Storefront") with { AppliedVersions = new Dictionary<string, long> { ["Storefront"] = 5 }, Drained = true });

        var list = await Registry(await OpenAsync()).GetInstancesAsync();
        Assert.Equal(["web-1", "web-2"], list.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.Equal(5, list.Instances.Single(i => i.InstanceId == "web-1").AppliedVersionOf("Storefront"));
        Assert.True(list.Instances.Single(i => i.InstanceId == "web-1").Drained);
    }

    [Fact]
    public async Task Removing_an_instance_takes_only_its_own_session_off_the_list()
    {
        var registry = Registry(await OpenAsync());
        await registry.ReportAsync(Report("web-1", "Storefront") with { SessionId = "old" });
        await registry.ReportAsync(Report("web-2", "BackOffice"));

        // A process that lost its id to a newer one must not remove the newer one's report.
        await registry.RemoveAsync("web-1", "someone-else");
        Assert.Equal(2, (await registry.GetInstancesAsync()).Instances.Count);

        await registry.RemoveAsync("web-1", "old");
        await registry.RemoveAsync("never-registered", "x");
        var left = Assert.Single((await Registry(await OpenAsync()).GetInstancesAsync()).Instances);
        Assert.Equal("web-2", left.InstanceId);
    }

    [Fact]
    public async Task Instance_ids_with_any_characters_are_kept_apart()
    {
        var registry = Registry(await OpenAsync());
        string[] ids = ["web/1", "web\\1", "web..1", "WEB-1", "web-1", "wéb 1:8080", new string('x', 200)];
        foreach (var id in ids)
        {
            await registry.ReportAsync(Report(id, "Storefront"));
        }

        var list = await Registry(await OpenAsync()).GetInstancesAsync();
        Assert.Equal(ids.Order(StringComparer.Ordinal), list.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.Empty(list.Unreadable);
    }

    [Fact]
    public async Task A_report_from_another_instance_reaches_a_watcher()
    {
        var watched = Registry(await OpenAsync());
        var writer = Registry(await OpenAsync());
        using var stop = new CancellationTokenSource();
        var reports = 0;
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var watch = watched.WatchInstancesAsync(
            async ct =>
            {
                Interlocked.Increment(ref reports);
                var list = await watched.GetInstancesAsync(ct);
                if (list.Instances.Any(i => i.InstanceId == "web-9" && i.Drained))
                {
                    heard.TrySetResult();
                }
            },
            stop.Token);

        await SettleAsync(() => Volatile.Read(ref reports), initialReport: false);
        await writer.ReportAsync(Report("web-9", "Storefront") with { Drained = true });
        await heard.Task.WaitAsync(WatchLatency);

        await stop.CancelAsync();
        await watch.WaitAsync(WatchLatency);
    }

    [Fact]
    public async Task Fifty_instances_report_concurrently_and_all_are_listed()
    {
        var stores = new List<IMaintenanceInstanceRegistry>();
        for (var i = 0; i < 5; i++)
        {
            stores.Add(Registry(await OpenAsync()));
        }

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => stores[i % stores.Count].ReportAsync(Report($"web-{i:00}", i % 2 == 0 ? "Storefront" : "BackOffice"))));

        var list = await stores[0].GetInstancesAsync();
        Assert.Equal(50, list.Instances.Count);
        Assert.Equal(50, list.Live.Count());
    }

    protected static MaintenanceInstanceReport Report(string id, string application) => new()
    {
        InstanceId = id,
        SessionId = "session-" + id,
        Application = application,
        HostName = "host-a",
        ProcessId = 1,
        StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        AppliedVersions = new Dictionary<string, long> { [application] = 1 },
    };

    private static IMaintenanceInstanceRegistry Registry(IMaintenanceStateStore store) =>
        Assert.IsAssignableFrom<IMaintenanceInstanceRegistry>(store);
}
