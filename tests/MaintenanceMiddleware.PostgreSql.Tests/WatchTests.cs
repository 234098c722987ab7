using System.Diagnostics;
using MaintenanceMiddleware;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

public sealed class WatchTests : IAsyncLifetime
{
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await PgServer.CreateDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_change_saved_by_one_instance_reaches_another_instances_watch_within_a_second()
    {
        await using var dataSourceA = NpgsqlDataSource.Create(_connectionString);
        await using var dataSourceB = NpgsqlDataSource.Create(_connectionString);
        await using var writer = TestHosts.CreateStore(dataSourceA);
        await using var watcher = TestHosts.CreateStore(dataSourceB, o => o.PollInterval = TimeSpan.FromMinutes(5));
        await writer.MigrateAsync();

        var watch = new Watch(watcher);
        try
        {
            // The watcher reloads once when it starts listening.
            Assert.True(await watch.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)), "the watch never started listening");
            var service = TestHosts.CreateService(writer);
            for (var i = 0; i < 5; i++)
            {
                var before = watch.Calls;
                var stopwatch = Stopwatch.StartNew();
                if (i % 2 == 0)
                {
                    await TestHosts.EnableAsync(service);
                }
                else
                {
                    await TestHosts.DisableAsync(service);
                }

                Assert.True(await watch.WaitForCallsAsync(before + 1, TimeSpan.FromSeconds(1)), $"change {i} was not notified within 1 s");
                Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            await watch.StopAsync();
        }
    }

    [Fact]
    public async Task Without_notifications_the_safety_net_poll_still_reports()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        await using var watcher = TestHosts.CreateStore(dataSource, o => o.PollInterval = TimeSpan.FromMilliseconds(200));
        var watch = new Watch(watcher);
        try
        {
            Assert.True(await watch.WaitForCallsAsync(4, TimeSpan.FromSeconds(5)), "the safety-net poll did not call back");
        }
        finally
        {
            await watch.StopAsync();
        }
    }

    [Fact]
    public async Task After_a_server_restart_the_watch_reconnects_resyncs_and_sees_new_changes()
    {
        await using var dataSourceA = NpgsqlDataSource.Create(_connectionString);
        await using var dataSourceB = NpgsqlDataSource.Create(_connectionString);
        await using var writer = TestHosts.CreateStore(dataSourceA);
        await using var watcher = TestHosts.CreateStore(dataSourceB, o => o.PollInterval = TimeSpan.FromMinutes(5));
        await writer.MigrateAsync();
        var watch = new Watch(watcher, reload: true);
        try
        {
            Assert.True(await watch.WaitForCallsAsync(1, TimeSpan.FromSeconds(5)));
            await PgServer.StopAsync();
            await Task.Delay(300);
            await PgServer.StartAsync();

            // A change right after the restart, by a store whose pooled connections all died with the server: it must
            // replace them itself, and the watcher must see the change (by its resync or a notification) within 5 s.
            var service = TestHosts.CreateService(writer);
            var saved = await TestHosts.EnableAsync(service, "Storefront", "after restart");
            Assert.True(
                await TestHosts.WaitForAsync(() => Task.FromResult(watch.Last?.Any(s => s.Reason == "after restart") == true), TimeSpan.FromSeconds(5)),
                "the watcher did not see the change made after the restart within 5 s");
            Assert.Equal(saved.Version, watch.Last!.Single().Version);

            // And notifications flow again on the new connection.
            var before = watch.Calls;
            await TestHosts.DisableAsync(service);
            Assert.True(await watch.WaitForCallsAsync(before + 1, TimeSpan.FromSeconds(1)), "no notification after the reconnect");
        }
        finally
        {
            await PgServer.EnsureRunningAsync();
            await watch.StopAsync();
        }
    }

    private sealed class Watch
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;
        private int _calls;

        public Watch(IMaintenanceStateStore store, bool reload = false)
        {
            _task = store.WatchAsync(
                async token =>
                {
                    if (reload)
                    {
                        try
                        {
                            Last = await store.GetStatesAsync(token);
                        }
                        catch (MaintenanceStoreException)
                        {
                            // As the monitor does: keep the last state.
                        }
                    }

                    Interlocked.Increment(ref _calls);
                },
                _stop.Token);
        }

        public int Calls => Volatile.Read(ref _calls);

        public IReadOnlyList<MaintenanceState>? Last { get; private set; }

        public Task<bool> WaitForCallsAsync(int count, TimeSpan timeout) =>
            TestHosts.WaitForAsync(() => Task.FromResult(Calls >= count), timeout);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _task.WaitAsync(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
