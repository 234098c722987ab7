using System.Diagnostics;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>App hosts on one real redis-server: they switch together, ride out an outage, and converge afterwards.</summary>
public sealed class HostTests : IAsyncLifetime
{
    private readonly string _prefix = RedisServer.UniquePrefix();
    private readonly List<WebApplication> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }
    }

    [Fact]
    public async Task Three_hosts_on_one_redis_switch_together_on_every_change()
    {
        var hosts = await StartAsync(RedisServer.ConnectionString, 3);
        await using var store = TestHosts.CreateStore(RedisServer.ConnectionString, _prefix);
        var service = TestHosts.CreateService(store);
        Assert.True(await TestHosts.AllAnswerAsync(hosts, 200, TimeSpan.FromSeconds(1)));

        for (var i = 0; i < 3; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await TestHosts.EnableAsync(service);
            Assert.True(await TestHosts.AllAnswerAsync(hosts, 503, TimeSpan.FromSeconds(1)), "not every host answered 503 within a second");
            await TestHosts.DisableAsync(service);
            Assert.True(await TestHosts.AllAnswerAsync(hosts, 200, TimeSpan.FromSeconds(1)), "not every host answered 200 within a second");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2));
        }

        // The environment-wide entry takes every application down, whatever its name.
        var backOffice = await TestHosts.StartAppAsync(RedisServer.ConnectionString, _prefix, "BackOffice");
        _hosts.Add(backOffice);
        await TestHosts.EnableAsync(service, "*", "Cache cluster upgrade");
        Assert.True(await TestHosts.AllAnswerAsync([.. hosts, backOffice], 503, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task While_redis_is_down_hosts_keep_the_page_switches_fail_cleanly_and_all_converge_after_the_restart()
    {
        await using var server = await RedisProcess.StartAsync();
        var hosts = await StartAsync(server.ConnectionString, 2);
        await using var store = TestHosts.CreateStore(server.ConnectionString, _prefix);
        var service = TestHosts.CreateService(store);
        await TestHosts.EnableAsync(service);
        Assert.True(await TestHosts.AllAnswerAsync(hosts, 503, TimeSpan.FromSeconds(2)));

        await server.StopAsync();
        foreach (var host in hosts)
        {
            Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.HealthAsync(host) == HealthStatus.Degraded, TimeSpan.FromSeconds(10)), "health never turned Degraded");
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.True(await TestHosts.AllAnswerAsync(hosts, 503, TimeSpan.Zero), "a host stopped serving the page while Redis was down");
        }

        var stopwatch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<MaintenanceStoreException>(() => TestHosts.DisableAsync(service));
        Assert.Contains("could not be read from Redis", error.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"the failed switch took {stopwatch.Elapsed}");
        var off = MaintenanceState.Off("Storefront") with { Version = 2 };
        var write = await Assert.ThrowsAsync<MaintenanceStoreException>(() => store.SaveAsync(off, 1, TestHosts.AuditFor(off, "while down")));
        Assert.Contains("nothing was written", write.Message, StringComparison.Ordinal);

        await server.StartAsync();
        Assert.True(await TestHosts.WaitForAsync(async () => await CanReadAsync(store), TimeSpan.FromSeconds(10)), "the store did not reconnect");
        await TestHosts.DisableAsync(service);
        Assert.True(await TestHosts.AllAnswerAsync(hosts, 200, TimeSpan.FromSeconds(10)), "the hosts did not converge after Redis came back");
        foreach (var host in hosts)
        {
            Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.HealthAsync(host) == HealthStatus.Healthy, TimeSpan.FromSeconds(10)));
        }

        Assert.Equal(["Release 42 done", "Release 42"], (await store.GetAuditTrailAsync()).Select(e => e.Reason));
    }

    [Fact]
    public async Task A_change_made_while_a_host_was_cut_off_reaches_it_when_it_reconnects()
    {
        await using var server = await RedisProcess.StartAsync();
        var hosts = await StartAsync(server.ConnectionString, 1);
        await server.StopAsync();
        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.HealthAsync(hosts[0]) == HealthStatus.Degraded, TimeSpan.FromSeconds(10)));

        // Written straight into the data directory's server while the host cannot hear the announcement.
        await server.StartAsync();
        await using var store = TestHosts.CreateStore(server.ConnectionString, _prefix);
        await TestHosts.EnableAsync(TestHosts.CreateService(store));

        // The safety poll is 30 s here: only the reload after the reconnect can bring the change this fast.
        Assert.True(await TestHosts.AllAnswerAsync(hosts, 503, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_host_that_starts_while_redis_is_down_starts_degraded_and_converges_when_it_is_up()
    {
        await using var server = await RedisProcess.StartAsync();
        await using (var store = TestHosts.CreateStore(server.ConnectionString, _prefix))
        {
            await TestHosts.EnableAsync(TestHosts.CreateService(store));
        }

        await server.StopAsync();
        var hosts = await StartAsync(server.ConnectionString, 1);
        Assert.Equal(HealthStatus.Degraded, await TestHosts.HealthAsync(hosts[0]));
        Assert.Equal(200, await TestHosts.GetStatusAsync(hosts[0]));

        await server.StartAsync();
        Assert.True(await TestHosts.AllAnswerAsync(hosts, 503, TimeSpan.FromSeconds(10)), "the host did not converge once Redis was up");
        Assert.True(await TestHosts.WaitForAsync(async () => await TestHosts.HealthAsync(hosts[0]) == HealthStatus.Healthy, TimeSpan.FromSeconds(5)));
    }

    private static async Task<bool> CanReadAsync(RedisMaintenanceStateStore store)
    {
        try
        {
            await store.GetStatesAsync();
            return true;
        }
        catch (MaintenanceStoreException)
        {
            return false;
        }
    }

    private async Task<List<WebApplication>> StartAsync(string connectionString, int count)
    {
        var started = new List<WebApplication>();
        for (var i = 0; i < count; i++)
        {
            var host = await TestHosts.StartAppAsync(connectionString, _prefix);
            _hosts.Add(host);
            started.Add(host);
        }

        return started;
    }
}
