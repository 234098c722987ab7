using System.Diagnostics;
using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>The Redis instance registry: the server's clock, where the reports live, unreadable reports, pushes and the prune (the shared contract is in MaintenanceMiddleware.Stores.Tests).</summary>
public sealed class InstanceRegistryTests : IAsyncLifetime
{
    private static readonly TimeSpan s_tolerance = TimeSpan.FromSeconds(2);
    private readonly string _prefix = RedisServer.UniquePrefix();
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync() => _admin = await RedisServer.ConnectAdminAsync();

    public async Task DisposeAsync() => await _admin.DisposeAsync();

    [Fact]
    public async Task Heartbeats_and_the_lists_time_come_from_the_servers_clock_when_the_instance_clock_is_hours_off()
    {
        foreach (var skew in (TimeSpan[])[TimeSpan.FromHours(5), TimeSpan.FromHours(-7)])
        {
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow + skew);
            var options = new RedisStoreOptions { ConnectionString = RedisServer.ConnectionString, KeyPrefix = _prefix };
            await using var store = new RedisMaintenanceStateStore(Options.Create(options), NullLogger<RedisMaintenanceStateStore>.Instance, clock);

            // The instance also claims a heartbeat of its own: the store ignores it.
            await store.ReportAsync(Report("web-1") with { LastHeartbeat = clock.GetUtcNow() });
            var list = await store.GetInstancesAsync();

            var serverTime = await ServerTimeAsync();
            var read = Assert.Single(list.Instances);
            Assert.InRange(list.AsOf, serverTime - s_tolerance, serverTime + s_tolerance);
            Assert.InRange(read.LastHeartbeat, serverTime - s_tolerance, list.AsOf);
            Assert.True(read.IsLiveAt(list.AsOf), $"skew {skew}: an instance that just reported is not live");
            Assert.Equal(read.LastHeartbeat.ToUnixTimeMilliseconds(), (long)await _admin.GetDatabase().HashGetAsync($"{{{_prefix}}}:instances:beat", "web-1"));
        }
    }

    [Fact]
    public async Task A_report_is_one_field_of_the_instances_hash_with_a_heartbeat_an_expiry_and_a_message()
    {
        var heard = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var channel = await _admin.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"{{{_prefix}}}:instances:changed"));
        channel.OnMessage(m => heard.TrySetResult(m.Message!));
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);

        await store.ReportAsync(Report("web-1") with { HeartbeatInterval = TimeSpan.FromSeconds(5) });

        var database = _admin.GetDatabase();
        var json = (string)(await database.HashGetAsync($"{{{_prefix}}}:instances", "web-1"))!;
        Assert.Equal("web-1", JsonSerializer.Deserialize(json, MaintenanceStoreJson.InstanceReport)!.InstanceId);
        var beat = (long)await database.HashGetAsync($"{{{_prefix}}}:instances:beat", "web-1");
        Assert.Equal(beat + (10 * 5_000), await database.SortedSetScoreAsync($"{{{_prefix}}}:instances:expiry", "web-1"));
        Assert.Equal("web-1", await heard.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await channel.UnsubscribeAsync();
    }

    [Fact]
    public async Task Unreadable_reports_are_listed_by_instance_id_with_why_and_logged_once_never_thrown()
    {
        var logs = new FakeLogCollector();
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix, logger: new FakeLogger<RedisMaintenanceStateStore>(logs));
        await store.ReportAsync(Report("web-ok"));
        var database = _admin.GetDatabase();
        await database.HashSetAsync($"{{{_prefix}}}:instances", "web-corrupt", "{\"instanceId\": \"web-corrupt\", trunc");
        await database.HashSetAsync($"{{{_prefix}}}:instances", "web-copy", JsonSerializer.Serialize(Report("web-other"), MaintenanceStoreJson.InstanceReport));
        await database.HashSetAsync($"{{{_prefix}}}:instances", "web-nobeat", JsonSerializer.Serialize(Report("web-nobeat"), MaintenanceStoreJson.InstanceReport));
        await database.HashSetAsync($"{{{_prefix}}}:instances", "web-empty", "");
        await database.HashSetAsync($"{{{_prefix}}}:instances:beat", [new("web-corrupt", 1), new("web-copy", 1), new("web-empty", 1)]);

        for (var read = 0; read < 3; read++)
        {
            var list = await store.GetInstancesAsync();
            Assert.Equal("web-ok", Assert.Single(list.Instances).InstanceId);
            Assert.Equal(4, list.Unreadable.Count);
            Assert.Contains(list.Unreadable, u => u.StartsWith("instance 'web-corrupt': the report does not parse: ", StringComparison.Ordinal));
            Assert.Contains($"instance 'web-copy': the report names another instance ('web-other') (hash '{{{_prefix}}}:instances'); ignored, delete it with HDEL", list.Unreadable);
            Assert.Contains($"instance 'web-nobeat': it has no readable heartbeat time in hash '{{{_prefix}}}:instances:beat' (hash '{{{_prefix}}}:instances'); ignored, delete it with HDEL", list.Unreadable);
            Assert.Contains(list.Unreadable, u => u.StartsWith("instance 'web-empty': the report is empty or null", StringComparison.Ordinal));
        }

        var warnings = logs.GetSnapshot().Where(r => r.Id.Name == "RedisInstanceUnreadable").ToList();
        Assert.Equal(4, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));

        // Reports keep working beside them, and a removal of an unreadable report is refused quietly (its session is unknown).
        await store.ReportAsync(Report("web-2"));
        await store.RemoveAsync("web-corrupt", "session-web-corrupt");
        Assert.True(await database.HashExistsAsync($"{{{_prefix}}}:instances", "web-corrupt"));
        Assert.Equal(["web-2", "web-ok"], (await store.GetInstancesAsync()).Instances.Select(i => i.InstanceId));
    }

    [Fact]
    public async Task A_watcher_is_pushed_a_report_and_a_removal_within_a_second()
    {
        // The safety poll is 30 s here: only the push can be this fast.
        await using var watched = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        await using var writer = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var watch = watched.WatchInstancesAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, stop.Token);
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) == 1), TimeSpan.FromSeconds(10)), "the watch never made its first call");
        await Task.Delay(300);
        Assert.Equal(1, Volatile.Read(ref calls));

        var stopwatch = Stopwatch.StartNew();
        await writer.ReportAsync(Report("web-1"));
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) == 2), TimeSpan.FromSeconds(1)), $"no push within 1 s (calls: {calls})");
        var reportLatency = stopwatch.Elapsed;

        stopwatch.Restart();
        await writer.RemoveAsync("web-1", "session-web-1");
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) == 3), TimeSpan.FromSeconds(1)), $"no push of the removal within 1 s (calls: {calls})");
        Assert.True(reportLatency < TimeSpan.FromSeconds(1) && stopwatch.Elapsed < TimeSpan.FromSeconds(1));

        // A removal that removes nothing (another session) announces nothing.
        await writer.ReportAsync(Report("web-2"));
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) == 4), TimeSpan.FromSeconds(1)));
        await writer.RemoveAsync("web-2", "someone-else");
        await Task.Delay(300);
        Assert.Equal(4, Volatile.Read(ref calls));

        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Reports_of_instances_long_gone_are_pruned_by_the_next_report_of_any_instance()
    {
        var logs = new FakeLogCollector();
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix, logger: new FakeLogger<RedisMaintenanceStateStore>(logs));

        // 10 heartbeat intervals of 100 ms would be 1 s: also the shortest retention.
        await store.ReportAsync(Report("web-gone") with { HeartbeatInterval = TimeSpan.FromMilliseconds(100) });
        await store.ReportAsync(Report("web-live") with { HeartbeatInterval = TimeSpan.FromSeconds(5) });
        await Task.Delay(TimeSpan.FromMilliseconds(400));

        // Gone (three beats missed) but not yet pruned: listed, not live.
        var before = await store.GetInstancesAsync();
        Assert.Equal(["web-gone", "web-live"], before.Instances.Select(i => i.InstanceId));
        Assert.Equal(["web-live"], before.Live.Select(i => i.InstanceId));

        await Task.Delay(TimeSpan.FromMilliseconds(800));
        Assert.Equal(2, (await store.GetInstancesAsync()).Instances.Count);
        await store.ReportAsync(Report("web-live") with { HeartbeatInterval = TimeSpan.FromSeconds(5) });

        Assert.Equal(["web-live"], (await store.GetInstancesAsync()).Instances.Select(i => i.InstanceId));
        var database = _admin.GetDatabase();
        Assert.False(await database.HashExistsAsync($"{{{_prefix}}}:instances", "web-gone"));
        Assert.False(await database.HashExistsAsync($"{{{_prefix}}}:instances:beat", "web-gone"));
        Assert.Null(await database.SortedSetScoreAsync($"{{{_prefix}}}:instances:expiry", "web-gone"));
        var logged = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RedisInstancesPruned");
        Assert.Equal($"Deleted 1 instance reports from '{{{_prefix}}}:instances' whose last heartbeat was more than 10 heartbeat intervals ago.", logged.Message);
    }

    [Fact]
    public async Task A_key_of_the_wrong_type_refuses_a_report_clearly_and_writes_nothing()
    {
        var database = _admin.GetDatabase();
        await database.StringSetAsync($"{{{_prefix}}}:instances:expiry", "someone else's");
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.ReportAsync(Report("web-1")));
        Assert.StartsWith("The report of instance 'web-1' could not be written to Redis: a key of the store holds something else; is another program using the prefix", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{{{_prefix}}}:instances:expiry holds a string, expected a zset", error.Message, StringComparison.Ordinal);
        Assert.False(await database.KeyExistsAsync($"{{{_prefix}}}:instances"));
        Assert.False(await database.KeyExistsAsync($"{{{_prefix}}}:instances:beat"));
    }

    private async Task<DateTimeOffset> ServerTimeAsync() => new(await _admin.GetServers()[0].TimeAsync(), TimeSpan.Zero);

    private static MaintenanceInstanceReport Report(string id) => new()
    {
        InstanceId = id,
        SessionId = "session-" + id,
        Application = "Storefront",
        HostName = "host-a",
        ProcessId = 1,
        HeartbeatInterval = TimeSpan.FromSeconds(5),
    };
}
