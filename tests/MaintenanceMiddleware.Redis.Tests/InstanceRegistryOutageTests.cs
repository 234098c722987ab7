using System.Diagnostics;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>The instance registry when its redis-server (one of the test's own) goes away, comes back, is a replica, or refuses a command.</summary>
public sealed class InstanceRegistryOutageTests
{
    private readonly string _prefix = RedisServer.UniquePrefix();

    [Fact]
    public async Task With_the_server_gone_every_call_fails_fast_with_a_clear_error_and_works_again_once_it_is_back()
    {
        await using var server = await RedisProcess.StartAsync();
        await using var store = TestHosts.CreateStore(server.ConnectionString, _prefix);
        await store.ReportAsync(Report("web-1"));

        await server.StopAsync();
        var stopwatch = Stopwatch.StartNew();
        var report = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.ReportAsync(Report("web-1")));
        Assert.StartsWith("The report of instance 'web-1' could not be written to Redis: ", report.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<StackExchange.Redis.RedisException>(report.InnerException);
        var list = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.GetInstancesAsync());
        Assert.StartsWith("The instance reports could not be read from Redis: ", list.Message, StringComparison.Ordinal);
        var remove = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.RemoveAsync("web-1", "session-web-1"));
        Assert.StartsWith("The report of instance 'web-1' could not be removed from Redis: ", remove.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"the failed calls took {stopwatch.Elapsed}");

        // Back (the same data directory, AOF): the same store works again without a restart, and the report is still there.
        await server.StartAsync();
        Assert.True(await TestHosts.WaitForAsync(async () => await CanListAsync(store), TimeSpan.FromSeconds(10)), "the store did not reconnect");
        Assert.Equal("web-1", Assert.Single((await store.GetInstancesAsync()).Instances).InstanceId);
        await store.ReportAsync(Report("web-2"));
        await store.RemoveAsync("web-1", "session-web-1");
        Assert.Equal("web-2", Assert.Single((await store.GetInstancesAsync()).Instances).InstanceId);
    }

    [Fact]
    public async Task A_watcher_is_called_once_the_server_is_back_and_is_pushed_again()
    {
        await using var server = await RedisProcess.StartAsync();
        await using var watched = TestHosts.CreateStore(server.ConnectionString, _prefix);
        await using var writer = TestHosts.CreateStore(server.ConnectionString, _prefix);
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var watch = watched.WatchInstancesAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, stop.Token);
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) >= 1), TimeSpan.FromSeconds(10)), "the watch never made its first call");

        await server.StopAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var whileDown = Volatile.Read(ref calls);

        // Messages sent while a watcher is cut off are lost to it: it is called once it is back, so its caller re-reads.
        await server.StartAsync();
        Assert.True(await TestHosts.WaitForAsync(async () => await CanListAsync(writer), TimeSpan.FromSeconds(10)));
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) > whileDown), TimeSpan.FromSeconds(10)), "no call after the reconnect");
        Assert.True(await TestHosts.WaitForAsync(async () => await CanListAsync(watched), TimeSpan.FromSeconds(10)));
        await Task.Delay(TimeSpan.FromMilliseconds(300));

        var afterReconnect = Volatile.Read(ref calls);
        await writer.ReportAsync(Report("web-1"));
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) > afterReconnect), TimeSpan.FromSeconds(2)), "the resubscribed watcher was not pushed");
        Assert.False(watch.IsCompleted);

        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_read_only_replica_lists_the_instances_but_refuses_a_report_clearly()
    {
        await using var primary = await RedisProcess.StartAsync();
        await using var replica = await RedisProcess.StartAsync("--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using (var onPrimary = TestHosts.CreateStore(primary.ConnectionString, _prefix))
        {
            await onPrimary.ReportAsync(Report("web-1"));
        }

        await using var store = TestHosts.CreateStore(replica.ConnectionString, _prefix);
        Assert.True(await TestHosts.WaitForAsync(async () => (await store.GetInstancesAsync()).Instances.Count == 1, TimeSpan.FromSeconds(10)), "the replica never caught up");

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.ReportAsync(Report("web-2")));
        Assert.Contains("read-only replica", error.Message, StringComparison.Ordinal);
        Assert.Contains("primary", error.Message, StringComparison.Ordinal);
        await using var check = TestHosts.CreateStore(primary.ConnectionString, _prefix);
        Assert.Equal("web-1", Assert.Single((await check.GetInstancesAsync()).Instances).InstanceId);
    }

    [Fact]
    public async Task A_user_without_a_permission_the_report_needs_gets_a_clear_error_and_nothing_is_written()
    {
        await using var server = await RedisProcess.StartAsync();
        await using var admin = await RedisServer.ConnectAdminAsync(server.ConnectionString);
        await admin.GetDatabase().ExecuteAsync("ACL", "SETUSER", "mm", "on", ">mm-secret", "~*", "&*", "+@all", "-zadd");
        await using var store = TestHosts.CreateStore($"{server.ConnectionString},user=mm,password=mm-secret", _prefix);

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.ReportAsync(Report("web-1")));
        Assert.StartsWith("The report of instance 'web-1' could not be written to Redis: the Redis user lacks a permission; it needs EVAL", error.Message, StringComparison.Ordinal);
        Assert.Contains($"NOPERM the Redis user may not run ZADD on {{{_prefix}}}:instances:expiry", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("mm-secret", error.ToString(), StringComparison.Ordinal);
        Assert.False(await admin.GetDatabase().KeyExistsAsync($"{{{_prefix}}}:instances"));
        Assert.False(await admin.GetDatabase().KeyExistsAsync($"{{{_prefix}}}:instances:beat"));
        Assert.Empty((await store.GetInstancesAsync()).Instances);
    }

    private static async Task<bool> CanListAsync(RedisMaintenanceStateStore store)
    {
        try
        {
            await store.GetInstancesAsync();
            return true;
        }
        catch (MaintenanceStoreException)
        {
            return false;
        }
    }

    private static MaintenanceInstanceReport Report(string id) => new()
    {
        InstanceId = id,
        SessionId = "session-" + id,
        Application = "Storefront",
        HostName = "host-a",
        HeartbeatInterval = TimeSpan.FromSeconds(5),
    };
}
