using MaintenanceMiddleware;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>What the Redis store writes and where (the shared contract is in MaintenanceMiddleware.Stores.Tests).</summary>
public sealed class StoreTests : IAsyncLifetime
{
    private readonly string _prefix = RedisServer.UniquePrefix();
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync() => _admin = await RedisServer.ConnectAdminAsync();

    public async Task DisposeAsync() => await _admin.DisposeAsync();

    [Fact]
    public async Task A_change_writes_state_version_audit_entry_and_publishes_under_the_prefix()
    {
        var messages = new List<string>();
        var received = new TaskCompletionSource();
        await _admin.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"{{{_prefix}}}:changed"), (_, message) =>
        {
            lock (messages)
            {
                messages.Add(message.ToString());
            }

            received.TrySetResult();
        });

        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        await TestHosts.EnableAsync(TestHosts.CreateService(store), "Storefront");

        await received.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["Storefront"], messages);
        var db = _admin.GetDatabase();
        Assert.Contains("\"reason\":\"Release 42\"", (string?)await db.HashGetAsync($"{{{_prefix}}}:state", "storefront"), StringComparison.Ordinal);
        Assert.Equal(1, (long)await db.HashGetAsync($"{{{_prefix}}}:version", "storefront"));
        var entry = Assert.Single(await db.StreamRangeAsync($"{{{_prefix}}}:audit"));
        Assert.Equal("storefront", entry["application"]);
        Assert.Contains("\"actor\":\"tester\"", entry["entry"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_stream_keeps_only_the_configured_number_of_entries()
    {
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix, o => o.AuditRetention = 3);
        var service = TestHosts.CreateService(store);
        for (var i = 1; i <= 5; i++)
        {
            await TestHosts.EnableAsync(service, "Storefront", $"change {i}");
        }

        Assert.Equal(3, await _admin.GetDatabase().StreamLengthAsync($"{{{_prefix}}}:audit"));
        Assert.Equal(["change 5", "change 4", "change 3"], (await store.GetAuditTrailAsync()).Select(e => e.Reason));
        Assert.Equal(5, Assert.Single(await store.GetStatesAsync()).Version);
    }

    [Fact]
    public async Task Two_prefixes_on_one_server_are_two_independent_environments()
    {
        var other = RedisServer.UniquePrefix();
        await using var staging = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        await using var production = TestHosts.CreateStore(RedisServer.ConnectionString, other);
        await TestHosts.EnableAsync(TestHosts.CreateService(staging));

        Assert.Single(await staging.GetStatesAsync());
        Assert.Empty(await production.GetStatesAsync());
        Assert.Empty(await production.GetAuditTrailAsync());
    }

    [Fact]
    public async Task A_key_of_the_wrong_type_refuses_the_change_and_writes_nothing()
    {
        var db = _admin.GetDatabase();
        await db.StringSetAsync($"{{{_prefix}}}:audit", "not a stream");
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);

        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => TestHosts.EnableAsync(TestHosts.CreateService(store)));
        Assert.Contains("nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Contains("another program", error.Message, StringComparison.Ordinal);
        Assert.False(await db.KeyExistsAsync($"{{{_prefix}}}:state"));
        Assert.False(await db.KeyExistsAsync($"{{{_prefix}}}:version"));
    }

    [Fact]
    public async Task Without_messages_the_safety_poll_reports_every_poll_interval()
    {
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix, o => o.PollInterval = TimeSpan.FromMilliseconds(200));
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, stop.Token);

        // The first report is the full load once subscribed; then about five polls a second.
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref calls) >= 4), TimeSpan.FromSeconds(10)));
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(5));
        var after = Volatile.Read(ref calls);
        await Task.Delay(500);
        Assert.Equal(after, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task Requests_never_call_redis()
    {
        await using var server = await RedisProcess.StartAsync();
        await using var app = await TestHosts.StartAppAsync(server.ConnectionString, _prefix);
        await using var admin = await RedisServer.ConnectAdminAsync(server.ConnectionString);
        // Let start-up settle: the first load and the full reload after subscribing.
        long before;
        while ((before = await CommandCountAsync(admin, server.ConnectionString)) != await SettledCountAsync(admin, server.ConnectionString))
        {
        }

        for (var i = 0; i < 200; i++)
        {
            Assert.Equal(200, await TestHosts.GetStatusAsync(app));
        }

        Assert.Equal(before, await CommandCountAsync(admin, server.ConnectionString));
    }

    [Fact]
    public async Task One_instance_holds_one_connection()
    {
        var name = "mm-one-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await TestHosts.StartAppAsync($"{RedisServer.ConnectionString},name={name}", _prefix);
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        await TestHosts.EnableAsync(TestHosts.CreateService(store));
        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.GetStatusAsync(app) == 503, TimeSpan.FromSeconds(5)));

        var clients = await _admin.GetServers()[0].ClientListAsync();
        var mine = clients.Where(c => c.Name == name).ToList();
        Assert.Single(mine);
        Assert.True(mine[0].SubscriptionCount >= 1, "the one connection carries the subscription too");
        var subscribers = (RedisResult[])(await _admin.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", $"{{{_prefix}}}:changed"))!;
        Assert.Equal(1, (long)subscribers[1]);
    }

    private static async Task<long> SettledCountAsync(ConnectionMultiplexer admin, string connectionString)
    {
        await Task.Delay(500);
        return await CommandCountAsync(admin, connectionString);
    }

    // Commands the server ran for the store: hgetall (reads), evalsha/eval (writes), xrevrange (audit).
    private static async Task<long> CommandCountAsync(ConnectionMultiplexer admin, string connectionString)
    {
        var server = admin.GetServer(connectionString);
        var stats = await server.InfoAsync("commandstats");
        return stats.SelectMany(g => g)
            .Where(p => p.Key is "cmdstat_hgetall" or "cmdstat_eval" or "cmdstat_evalsha" or "cmdstat_xrevrange")
            .Sum(p => long.Parse(p.Value.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
    }
}
