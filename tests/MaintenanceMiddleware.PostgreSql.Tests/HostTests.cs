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
    public async Task While_the_database_is_down_hosts_keep_the_last_state_and_converge_when_it_returns()
    {
        var storefronts = await StartAsync(2);
        var backOffice = await TestHosts.StartAppAsync(_connectionString, "BackOffice");
        _hosts.Add(backOffice);
        await TestHosts.EnableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync(storefronts, 503, TimeSpan.FromSeconds(1)));
        Assert.Equal(200, await TestHosts.GetStatusAsync(backOffice));

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

    [Fact]
    public async Task The_connection_string_is_read_from_configuration()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = _connectionString,
            ["MaintenanceMode:PostgreSql:Schema"] = "ops",
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSql();
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync();
        _hosts.Add(app);

        await app.Services.GetRequiredService<IMaintenanceModeService>().EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "configured" });
        Assert.True(await TestHosts.AllAnswerAsync([app], 503, TimeSpan.FromSeconds(1)));
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM ops.maintenance_state", connection);
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(null, null, "MaintenanceMode:PostgreSql:ConnectionString")]
    [InlineData("Host=127.0.0.1", "Bad-Name", "MaintenanceMode:PostgreSql:StateTable")]
    public async Task Bad_configuration_stops_start_up_with_a_message_naming_the_key(string? connectionString, string? stateTable, string key)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = connectionString,
            ["MaintenanceMode:PostgreSql:StateTable"] = stateTable,
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSql();
        await using var app = builder.Build();
        app.UseMaintenanceMode();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, typeof(MaintenanceMiddleware.FileMaintenanceStateStore))]
    [InlineData(true, typeof(MaintenanceMiddleware.PostgreSql.PostgreSqlMaintenanceStateStore))]
    public async Task UsePostgreSqlWhenConfigured_chooses_the_store_by_the_connection_string_key(bool configured, Type expected)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Application"] = "Storefront",
            ["MaintenanceMode:PostgreSql:ConnectionString"] = configured ? _connectionString : null,
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UsePostgreSqlWhenConfigured();
        await using var app = builder.Build();

        Assert.IsType(expected, app.Services.GetRequiredService<MaintenanceMiddleware.IMaintenanceStateStore>());
    }

    [Fact]
    public async Task A_data_source_owned_by_the_app_can_be_used()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMaintenanceMode(o => o.Application = "Storefront").UsePostgreSql(_dataSource);
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync();
        await TestHosts.EnableAsync(_service);
        Assert.True(await TestHosts.AllAnswerAsync([app], 503, TimeSpan.FromSeconds(1)));
        await app.StopAsync();
        await app.DisposeAsync();

        // The app's data source is not disposed with the host.
        await using var connection = await _dataSource.OpenConnectionAsync();
    }

    private async Task<IHost[]> StartAsync(int count)
    {
        var hosts = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => TestHosts.StartAppAsync(_connectionString)));
        _hosts.AddRange(hosts);
        return hosts;
    }
}
