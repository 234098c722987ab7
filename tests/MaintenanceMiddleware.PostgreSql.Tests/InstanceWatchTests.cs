using System.Diagnostics;
using MaintenanceMiddleware;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>Watching the instance reports: pushed by NOTIFY on a channel of their own, and quiet while idle.</summary>
public sealed class InstanceWatchTests : IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await PgServer.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_report_and_a_removal_reach_an_instance_watcher_by_notify_within_a_second()
    {
        await using var writer = Store();
        await using var watcher = Store(o => o.PollInterval = TimeSpan.FromMinutes(5));
        await writer.MigrateAsync();
        var watch = new Watch(watcher, reload: true);
        try
        {
            Assert.True(await watch.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)), "the watch never started listening");
            for (var i = 0; i < 5; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                await writer.ReportAsync(InstanceReports.Report("web-1") with { AppliedVersions = new Dictionary<string, long> { ["Storefront"] = i + 2 } });
                Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(watch.Last?.Instances.SingleOrDefault()?.AppliedVersionOf("Storefront") == i + 2), TimeSpan.FromSeconds(1)), $"report {i} was not pushed within 1 s");
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1));
            }

            await writer.RemoveAsync("web-1", "session-web-1");
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(watch.Last?.Instances.Count == 0), TimeSpan.FromSeconds(1)), "the removal was not pushed within 1 s");
        }
        finally
        {
            await watch.StopAsync();
        }
    }

    [Fact]
    public async Task Two_waits_watching_one_store_at_once_are_both_pushed_and_one_ending_leaves_the_other()
    {
        await using var writer = Store();
        await using var watcher = Store(o => o.PollInterval = TimeSpan.FromMinutes(5));
        await writer.MigrateAsync();
        var first = new Watch(watcher, reload: true);
        var second = new Watch(watcher, reload: true);
        try
        {
            Assert.True(await first.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)) && await second.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)), "a watch never started");
            await writer.ReportAsync(InstanceReports.Report("web-1"));
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(first.Last?.Instances.Count == 1 && second.Last?.Instances.Count == 1), TimeSpan.FromSeconds(1)), "not both watches were pushed");

            await first.StopAsync();
            await writer.ReportAsync(InstanceReports.Report("web-2"));
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(second.Last?.Instances.Count == 2), TimeSpan.FromSeconds(1)), "the remaining watch was not pushed");
            Assert.Equal(2, (await watcher.GetInstancesAsync()).Instances.Count);
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task An_idle_instance_watcher_sends_no_query_between_notifications_except_the_safety_poll()
    {
        var name = "mm_iquiet_" + Guid.NewGuid().ToString("N")[..8];
        await using var watcher = Store(o => o.PollInterval = TimeSpan.FromSeconds(2), name);
        await using (var writer = Store())
        {
            await writer.ReportAsync(InstanceReports.Report("web-1"));
        }

        using var log = new CommandLog(name);
        var watch = new Watch(watcher, reload: true);
        try
        {
            Assert.True(await watch.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)), "the watch never started");
            var afterStart = log.Count;
            Assert.True(afterStart > 0, "the log saw no command at all: it cannot prove anything");
            Assert.Single(log.Statements, s => s.StartsWith("CONNECT", StringComparison.Ordinal));

            // Idle for most of the poll interval: nothing at all.
            await Task.Delay(1500);
            Assert.Equal(afterStart, log.Count);
            Assert.Equal(1, watch.Calls);

            // The safety poll: one read, over the listening connection, and quiet again.
            Assert.True(await watch.WaitForCallsAsync(2, TimeSpan.FromSeconds(2)), "no safety poll");
            await Task.Delay(200);
            Assert.StartsWith("SELECT now(), i.instance_id", Assert.Single(log.Statements.Skip(afterStart)), StringComparison.Ordinal);
            await Task.Delay(1200);
            Assert.Equal(afterStart + 1, log.Count);
        }
        finally
        {
            await watch.StopAsync();
        }
    }

    [Fact]
    public async Task A_heartbeat_of_an_instance_watching_the_state_is_one_statement_over_its_listening_connection()
    {
        var name = "mm_beat_" + Guid.NewGuid().ToString("N")[..8];
        await using var store = Store(o => o.PollInterval = TimeSpan.FromMinutes(5), name);
        await store.MigrateAsync();
        var reloads = 0;
        using var stop = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => { Interlocked.Increment(ref reloads); return Task.CompletedTask; }, stop.Token);
        try
        {
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref reloads) == 1), TimeSpan.FromSeconds(5)));
            using var log = new CommandLog(name);
            for (var i = 0; i < 3; i++)
            {
                await store.ReportAsync(InstanceReports.Report("web-1"));
            }

            // No connect: three upserts (each with its pg_notify), and a report does not wake the state's watch.
            Assert.Equal(3, log.Statements.Count(s => s.StartsWith("WITH previous AS", StringComparison.Ordinal)));
            Assert.Equal(3, log.Count);
            await Task.Delay(300);
            Assert.Equal(1, Volatile.Read(ref reloads));
        }
        finally
        {
            await stop.CancelAsync();
            await watch;
        }
    }

    [Fact]
    public async Task A_heartbeat_that_changes_nothing_but_the_time_refreshes_it_without_waking_a_watcher()
    {
        await using var writer = Store();
        await using var watcher = Store(o => o.PollInterval = TimeSpan.FromMinutes(5));
        var report = InstanceReports.Report("web-1");
        await writer.ReportAsync(report);
        var first = Assert.Single((await writer.GetInstancesAsync()).Instances).LastHeartbeat;
        var watch = new Watch(watcher, reload: false);
        try
        {
            Assert.True(await watch.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)));
            await Task.Delay(50);
            await writer.ReportAsync(report);
            await writer.ReportAsync(report with { LastHeartbeat = DateTimeOffset.UtcNow });
            await Task.Delay(500);
            Assert.Equal(1, watch.Calls);
            Assert.True(Assert.Single((await writer.GetInstancesAsync()).Instances).LastHeartbeat > first, "the heartbeat did not refresh the time");

            // A report that changes something (here: drained) wakes it.
            await writer.ReportAsync(report with { Drained = true });
            Assert.True(await watch.WaitForCallsAsync(2, TimeSpan.FromSeconds(1)), "a changed report did not wake the watcher");

            // So does an unchanged one after more than two missed intervals: the instance is back.
            var fast = report with { InstanceId = "web-2", HeartbeatInterval = TimeSpan.FromSeconds(1) };
            await writer.ReportAsync(fast);
            Assert.True(await watch.WaitForCallsAsync(3, TimeSpan.FromSeconds(1)));
            await writer.ReportAsync(fast);
            await Task.Delay(2500);
            Assert.Equal(3, watch.Calls);
            await writer.ReportAsync(fast);
            Assert.True(await watch.WaitForCallsAsync(4, TimeSpan.FromSeconds(1)), "an instance back after missed beats did not wake the watcher");
        }
        finally
        {
            await watch.StopAsync();
        }
    }

    [Fact]
    public async Task A_state_change_does_not_wake_an_instance_watcher()
    {
        await using var writer = Store();
        await using var watcher = Store(o => o.PollInterval = TimeSpan.FromMinutes(5));
        var watch = new Watch(watcher, reload: false);
        try
        {
            Assert.True(await watch.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)));
            await TestHosts.EnableAsync(TestHosts.CreateService(writer));
            await Task.Delay(500);
            Assert.Equal(1, watch.Calls);

            // ...while a report does.
            await writer.ReportAsync(InstanceReports.Report("web-1"));
            Assert.True(await watch.WaitForCallsAsync(2, TimeSpan.FromSeconds(1)));
        }
        finally
        {
            await watch.StopAsync();
        }
    }

    [Fact]
    public async Task After_the_listening_connection_is_cut_the_instance_watch_reconnects_reports_and_is_pushed_again()
    {
        var name = "mm_icut_" + Guid.NewGuid().ToString("N")[..8];
        await using var writer = Store();
        await using var watcher = Store(o => o.PollInterval = TimeSpan.FromMinutes(5), name);
        await writer.MigrateAsync();
        var watch = new Watch(watcher, reload: true);
        try
        {
            Assert.True(await watch.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)));
            await using (var admin = await PgServer.OpenAdminAsync())
            await using (var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", admin))
            {
                kill.Parameters.AddWithValue("name", name);
                Assert.Equal(1L, await kill.ExecuteScalarAsync());
            }

            // The loss is reported (the caller re-reads), and so is the reconnect; then pushes arrive again.
            Assert.True(await watch.WaitForCallsAsync(3, TimeSpan.FromSeconds(5)), $"the watch reported {watch.Calls} times after the cut");
            await writer.ReportAsync(InstanceReports.Report("web-7"));
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(watch.Last?.Instances.Any(i => i.InstanceId == "web-7") == true), TimeSpan.FromSeconds(1)), "no push after the reconnect");
        }
        finally
        {
            await watch.StopAsync();
        }
    }

    private PostgreSqlMaintenanceStateStore Store(Action<PostgreSqlStoreOptions>? configure = null, string? applicationName = null)
    {
        var dataSource = PostgreSqlConnections.CreateDataSource(new NpgsqlConnectionStringBuilder(_connectionString) { ApplicationName = applicationName ?? "mm_tests" }.ConnectionString);
        _dataSources.Add(dataSource);
        return TestHosts.CreateStore(dataSource, o =>
        {
            o.MaxReconnectDelay = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
    }

    /// <summary>An instance watch that counts its calls and (with reload) re-reads the list on each, as a waiter does.</summary>
    private sealed class Watch
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;
        private int _calls;
        private volatile MaintenanceInstanceList? _last;

        public Watch(PostgreSqlMaintenanceStateStore store, bool reload) =>
            _task = store.WatchInstancesAsync(
                async ct =>
                {
                    if (reload)
                    {
                        try
                        {
                            _last = await store.GetInstancesAsync(ct);
                        }
                        catch (MaintenanceStoreException)
                        {
                            // The connection was cut: the next report reads again.
                        }
                    }

                    Interlocked.Increment(ref _calls);
                },
                _stop.Token);

        public int Calls => Volatile.Read(ref _calls);

        public MaintenanceInstanceList? Last => _last;

        public Task<bool> WaitForCallsAsync(int calls, TimeSpan timeout) => TestHosts.WaitForAsync(() => Task.FromResult(Calls >= calls), timeout);

        public async Task StopAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            await _task.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
