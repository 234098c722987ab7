using System.Diagnostics;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

public sealed class HostTests : IAsyncLifetime
{
    private readonly List<IHost> _hosts = [];
    private string _connectionString = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgreSqlMaintenanceStateStore _store = null!;
    private IMaintenanceModeService _service = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await PgServer.CreateDatabaseAsync();
        _dataSource = NpgsqlDataSource.Create(_connectionString);
        _store = TestHosts.CreateStore(_dataSource);
        _service = TestHosts.CreateService(_store);
    }

    public async Task DisposeAsync()
    {
        await PgServer.EnsureRunningAsync();
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        await _store.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task Three_hosts_sharing_the_database_converge_on_every_change()
    {
        var hosts = await StartAsync(3);
        Assert.True(await TestHosts.AllAnswerAsync(hosts, 200, TimeSpan.FromSeconds(1)));

        for (var i = 0; i < 3; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await TestHosts.EnableAsync(_service);
            Assert.True(await TestHosts.AllAnswerAsync(hosts, 503, TimeSpan.FromSeconds(1)), "not every host answered 503 within a second");
            await TestHosts.DisableAsync(_service);
            Assert.True(await TestHosts.AllAnswerAsync(hosts, 200, TimeSpan.FromSeconds(1)), "not every host answered 200 within a second");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2));
        }

        // The environment-wide entry takes every application down, whatever its name.
        var backOffice = await TestHosts.StartAppAsync(_connectionString, "BackOffice");
        _hosts.Add(backOffice);
        await TestHosts.EnableAsync(_service, "*", "Database upgrade");
        Assert.True(await TestHosts.AllAnswerAsync([.. hosts, backOffice], 503, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task While_the_database_is_down_and_restarts_under_load_no_request_fails_and_hosts_converge_when_it_returns()
    {
        var storefronts = await StartAsync(2);
        var backOffice = await TestHosts.StartAppAsync(_connectionString, "BackOffice");
        _hosts.Add(backOffice);
        await TestHosts.EnableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync(storefronts, 503, TimeSpan.FromSeconds(1)));
        Assert.Equal(200, await TestHosts.GetStatusAsync(backOffice));

        // Requests from four clients all through the outage, the restart and the switch after it (bounded in count and time).
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromSeconds(14));
        var load = RunLoadAsync(storefronts, backOffice, stopLoad.Token);
        try
        {
            await PgServer.StopAsync();

            // The outage is seen (health) while every answer stays what it was: 503 stays 503, 200 stays 200, never a 500.
            var outageSeen = await TestHosts.WaitForAsync(
                async () =>
                {
                    foreach (var host in storefronts)
                    {
                        Assert.Equal(503, await TestHosts.GetStatusAsync(host));
                    }

                    Assert.Equal(200, await TestHosts.GetStatusAsync(backOffice));
                    return _hosts.All(h => !TestHosts.Monitor(h).StoreHealthy);
                },
                TimeSpan.FromSeconds(5));
            Assert.True(outageSeen, "the hosts did not notice the database outage");
            foreach (var host in _hosts)
            {
                Assert.Equal(HealthStatus.Degraded, await TestHosts.HealthAsync(host));
            }

            for (var i = 0; i < 20; i++)
            {
                Assert.Equal(503, await TestHosts.GetStatusAsync(storefronts[i % 2]));
                Assert.Equal(200, await TestHosts.GetStatusAsync(backOffice));
            }
        }
        finally
        {
            await PgServer.StartAsync();
        }

        var stopwatch = Stopwatch.StartNew();
        await TestHosts.DisableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync(storefronts, 200, TimeSpan.FromSeconds(5)), "the hosts did not converge within 5 s of the database returning");
        Assert.True(
            await TestHosts.WaitForAsync(() => Task.FromResult(_hosts.All(h => TestHosts.Monitor(h).StoreHealthy)), TimeSpan.FromSeconds(5)),
            "the hosts did not report the store healthy again");
        foreach (var host in _hosts)
        {
            Assert.Equal(HealthStatus.Healthy, await TestHosts.HealthAsync(host));
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));

        await stopLoad.CancelAsync();
        var (storefrontAnswers, backOfficeAnswers) = await load;
        Assert.True(storefrontAnswers.Count > 100, $"only {storefrontAnswers.Count} requests under load");
        Assert.All(storefrontAnswers, status => Assert.True(status is 503 or 200, $"a Storefront request got {status}"));
        Assert.All(backOfficeAnswers, status => Assert.Equal(200, status));
        Assert.Equal(200, storefrontAnswers[^1]);
    }

    [Fact]
    public async Task Starting_while_the_database_is_down_serves_the_fallback_then_converges()
    {
        await TestHosts.EnableAsync(_service);
        IHost host;
        try
        {
            await PgServer.StopAsync();
            var stopwatch = Stopwatch.StartNew();
            host = await TestHosts.StartAppAsync(_connectionString, startupTimeout: TimeSpan.FromSeconds(1));
            _hosts.Add(host);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), "start-up waited too long for the database");

            // The documented fallback: maintenance off (unless forced by MaintenanceMode:Enabled), store unhealthy.
            Assert.Equal(200, await TestHosts.GetStatusAsync(host));
            Assert.False(TestHosts.Monitor(host).StoreHealthy);
            Assert.Equal(HealthStatus.Degraded, await TestHosts.HealthAsync(host));
        }
        finally
        {
            await PgServer.StartAsync();
        }

        Assert.True(await TestHosts.AllAnswerAsync([host], 503, TimeSpan.FromSeconds(5)), "the host did not converge within 5 s of the database coming up");
        Assert.True(TestHosts.Monitor(host).StoreHealthy);
    }

    [Fact]
    public async Task Requests_never_query_the_database()
    {
        // A slow safety poll, so that nothing but requests could run a command during the measurement.
        var host = await TestHosts.StartAppAsync(_connectionString, storePoll: TimeSpan.FromMinutes(10));
        _hosts.Add(host);
        await TestHosts.EnableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync([host], 503, TimeSpan.FromSeconds(1)));
        await Task.Delay(200); // let the reload that followed the notification finish

        var commands = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => Interlocked.Increment(ref commands),
        };
        ActivitySource.AddActivityListener(listener);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(503, await TestHosts.GetStatusAsync(host));
        }

        await TestHosts.DisableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync([host], 200, TimeSpan.FromSeconds(1)));
        await Task.Delay(200);
        var afterSwitch = Volatile.Read(ref commands);
        Assert.True(afterSwitch > 0, "the counter saw no command at all: it cannot prove anything");

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(200, await TestHosts.GetStatusAsync(host));
        }

        Assert.Equal(afterSwitch, Volatile.Read(ref commands));

        // And the 100 requests during maintenance ran none either: only the disable and the reload that followed it did.
        Assert.True(afterSwitch <= 10, $"{afterSwitch} commands for one change and one reload");
    }

    // Until cancelled or 20,000 requests: each client asks one host after another; any exception fails the test.
    private static async Task<(List<int> Storefront, List<int> BackOffice)> RunLoadAsync(IHost[] storefronts, IHost backOffice, CancellationToken stop)
    {
        var storefront = new List<int>();
        var other = new List<int>();
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
        {
            for (var i = client; !stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= 20_000; i++)
            {
                var host = i % 3 == 2 ? backOffice : storefronts[i % storefronts.Length];
                var status = await TestHosts.GetStatusAsync(host);
                lock (storefront)
                {
                    (host == backOffice ? other : storefront).Add(status);
                }

                await Task.Delay(2, CancellationToken.None);
            }
        })));
        return (storefront, other);
    }

    private async Task<IHost[]> StartAsync(int count)
    {
        var hosts = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => TestHosts.StartAppAsync(_connectionString)));
        _hosts.AddRange(hosts);
        return hosts;
    }
}
