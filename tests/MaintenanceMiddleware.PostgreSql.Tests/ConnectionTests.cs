using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>What an idle instance costs the database: one connection, and no query but the safety poll.</summary>
public sealed class ConnectionTests : IAsyncLifetime
{
    private readonly List<IHost> _hosts = [];
    private string _connectionString = null!;

    public async Task InitializeAsync() => _connectionString = await PgServer.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }

    [Fact]
    public async Task Two_idle_hosts_hold_one_connection_each_also_after_a_switch_made_through_one_of_them()
    {
        var name = "mm_idle_" + Guid.NewGuid().ToString("N")[..8];
        var connectionString = new NpgsqlConnectionStringBuilder(_connectionString) { ApplicationName = name }.ConnectionString;
        var hosts = await Task.WhenAll(TestHosts.StartAppAsync(connectionString), TestHosts.StartAppAsync(connectionString));
        _hosts.AddRange(hosts);

        // A write through a host's own service (short-lived connection), then the reload every host runs after the notification.
        var service = hosts[0].Services.GetRequiredService<IMaintenanceModeService>();
        await service.EnableAsync(new EnableMaintenanceRequest { Application = "Storefront", Reason = "count connections" });
        Assert.True(await TestHosts.AllAnswerAsync(hosts, 503, TimeSpan.FromSeconds(2)));
        Assert.NotEmpty(await service.GetAuditTrailAsync("Storefront"));

        // The listening connections stay; the write's connection is gone at once (closed, not parked in a pool).
        Assert.True(
            await TestHosts.WaitForAsync(async () => await CountConnectionsAsync(name) == 2, TimeSpan.FromSeconds(2)),
            $"two idle hosts hold {await CountConnectionsAsync(name)} connections");
        await Task.Delay(500);
        Assert.Equal(2, await CountConnectionsAsync(name));
    }

    [Fact]
    public async Task An_idle_instance_sends_no_query_between_notifications_except_the_safety_poll_one_read_each()
    {
        var name = "mm_quiet_" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_connectionString) { ApplicationName = name }.ConnectionString);
        await using var store = TestHosts.CreateStore(dataSource, o => o.PollInterval = TimeSpan.FromSeconds(2));
        await using (var writerSource = NpgsqlDataSource.Create(_connectionString))
        await using (var writer = TestHosts.CreateStore(writerSource))
        {
            await TestHosts.EnableAsync(TestHosts.CreateService(writer));
        }

        using var log = new CommandLog(name);

        // Reload on every report, as the state monitor does.
        var reloads = 0;
        using var stop = new CancellationTokenSource();
        var watch = store.WatchAsync(
            async token =>
            {
                Assert.True(Assert.Single(await store.GetStatesAsync(token)).Enabled);
                Interlocked.Increment(ref reloads);
            },
            stop.Token);
        try
        {
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref reloads) == 1), TimeSpan.FromSeconds(5)), "the watch never started");
            var afterStart = log.Count;
            Assert.True(afterStart > 0, "the log saw no command at all: it cannot prove anything");

            // Idle for most of the poll interval: nothing at all.
            await Task.Delay(1500);
            Assert.Equal(afterStart, log.Count);
            Assert.Equal(1, Volatile.Read(ref reloads));

            // The safety poll: one report, one read over the listening connection, and quiet again.
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref reloads) == 2), TimeSpan.FromSeconds(2)), "no safety poll");
            await Task.Delay(200);
            Assert.StartsWith("SELECT version", Assert.Single(log.Statements.Skip(afterStart)), StringComparison.Ordinal);
            await Task.Delay(1200);
            Assert.Equal(afterStart + 1, log.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await watch.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task An_idle_host_sends_no_query_until_its_safety_poll()
    {
        // Only this host's commands count; its instance reports (a heartbeat every HeartbeatInterval, issue 11) are
        // counted apart: they are not state queries.
        var name = "mm_idlehost_" + Guid.NewGuid().ToString("N")[..8];
        using var log = new CommandLog(name);
        IReadOnlyList<string> StateStatements() => [.. log.Statements.Where(q => !q.Contains("maintenance_instances", StringComparison.Ordinal))];
        int Reports() => log.Statements.Count(q => q.Contains("maintenance_instances", StringComparison.Ordinal));

        var connectionString = new NpgsqlConnectionStringBuilder(_connectionString) { ApplicationName = name }.ConnectionString;
        var host = await TestHosts.StartAppAsync(connectionString, storePoll: TimeSpan.FromSeconds(4));
        _hosts.Add(host);

        // Started: listening, and the full reload after LISTEN has run.
        Assert.True(
            await TestHosts.WaitForAsync(() => Task.FromResult(StateStatements().SkipWhile(q => !q.StartsWith("LISTEN", StringComparison.Ordinal)).Any(q => q.StartsWith("SELECT version", StringComparison.Ordinal))), TimeSpan.FromSeconds(5)),
            "the host never listened and reloaded: " + string.Join(" | ", log.Statements));

        // And reported itself once (its first report checks the schema once, on a connection of its own, then upserts).
        Assert.True(
            await TestHosts.WaitForAsync(() => Task.FromResult(log.Statements.Any(q => q.StartsWith("WITH previous AS", StringComparison.Ordinal))), TimeSpan.FromSeconds(5)),
            "the host never reported itself: " + string.Join(" | ", log.Statements));
        await Task.Delay(300);
        var started = StateStatements().Count;
        var reportsAtStart = Reports();

        await Task.Delay(2500);
        Assert.Equal(200, await TestHosts.GetStatusAsync(host));
        Assert.True(started == StateStatements().Count, string.Join(" || ", StateStatements().Skip(started)));

        // Then the safety poll: one read, nothing else.
        Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(StateStatements().Count > started), TimeSpan.FromSeconds(3)), "no safety poll within its interval");
        await Task.Delay(200);
        Assert.StartsWith("SELECT version", Assert.Single(StateStatements().Skip(started)), StringComparison.Ordinal);

        // The reports of an idle instance: its first (the id check and one report) and one heartbeat per 5 s at most.
        Assert.InRange(Reports() - reportsAtStart, 0, 3);
    }

    [Fact]
    public async Task Reads_while_the_listener_waits_go_over_its_connection_and_notifications_still_arrive()
    {
        var name = "mm_shared_" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = PostgreSqlConnections.CreateDataSource(new NpgsqlConnectionStringBuilder(_connectionString) { ApplicationName = name }.ConnectionString);
        await using var store = TestHosts.CreateStore(dataSource, o => o.PollInterval = TimeSpan.FromMinutes(5));
        await using var writerSource = NpgsqlDataSource.Create(_connectionString);
        await using var writer = TestHosts.CreateStore(writerSource);
        var service = TestHosts.CreateService(writer);
        await TestHosts.EnableAsync(service);

        using var log = new CommandLog(name);
        var reports = 0;
        using var stop = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => { Interlocked.Increment(ref reports); return Task.CompletedTask; }, stop.Token);
        try
        {
            Assert.True(await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref reports) == 1), TimeSpan.FromSeconds(5)));
            Assert.Single(log.Statements, s => s.StartsWith("CONNECT", StringComparison.Ordinal));

            // Many reads at once, interleaved with changes: each answers, over the one connection, and every change is reported.
            for (var round = 0; round < 5; round++)
            {
                var before = Volatile.Read(ref reports);
                var reads = Enumerable.Range(0, 20).Select(_ => store.GetStatesAsync()).ToList();
                await (round % 2 == 0 ? TestHosts.DisableAsync(service) : TestHosts.EnableAsync(service));
                foreach (var read in reads)
                {
                    Assert.Single(await read.WaitAsync(TimeSpan.FromSeconds(5)));
                }

                Assert.True(
                    await TestHosts.WaitForAsync(() => Task.FromResult(Volatile.Read(ref reports) > before), TimeSpan.FromSeconds(1)),
                    $"change {round} was not reported");
                Assert.Equal(1, await CountConnectionsAsync(name));
            }

            // 100 reads, and not one connection opened for them: all ran over the listening connection.
            Assert.Single(log.Statements, s => s.StartsWith("CONNECT", StringComparison.Ordinal));
            Assert.Equal(100, log.Statements.Count(s => s.StartsWith("SELECT version", StringComparison.Ordinal)));
        }
        finally
        {
            await stop.CancelAsync();
            await watch.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    private static async Task<long> CountConnectionsAsync(string applicationName)
    {
        await using var admin = await PgServer.OpenAdminAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", admin);
        command.Parameters.AddWithValue("name", applicationName);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
