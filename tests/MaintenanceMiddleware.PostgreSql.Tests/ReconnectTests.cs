using System.Globalization;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

public sealed class ReconnectTests
{
    [Fact]
    public async Task An_unreachable_server_is_logged_once_and_retried_with_doubling_delays_up_to_the_maximum()
    {
        var closedPort = new NpgsqlConnectionStringBuilder(PgServer.AdminConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(closedPort);
        var logger = new FakeLogger<PostgreSqlMaintenanceStateStore>();
        await using var store = TestHosts.CreateStore(dataSource, o => o.MaxReconnectDelay = TimeSpan.FromMilliseconds(400), logger: logger);
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var watch = store.WatchAsync(_ => { Interlocked.Increment(ref calls); return Task.CompletedTask; }, stop.Token);

        Assert.True(
            await TestHosts.WaitForAsync(() => Task.FromResult(Failures(logger).Count >= 5), TimeSpan.FromSeconds(10)),
            "the watch did not keep retrying");
        await stop.CancelAsync();
        await watch.WaitAsync(TimeSpan.FromSeconds(5));

        var failures = Failures(logger);
        Assert.Equal("PostgreSqlListenFailed", failures[0].Id.Name);
        Assert.Equal(LogLevel.Warning, failures[0].Level);
        Assert.All(failures.Skip(1), r => Assert.Equal(("PostgreSqlListenRetryFailed", LogLevel.Debug), (r.Id.Name, r.Level)));
        Assert.All(failures, r => Assert.IsAssignableFrom<NpgsqlException>(r.Exception));
        var delays = failures
            .Take(5)
            .Select(r => (int)TimeSpan.Parse(r.StructuredState!.Single(p => p.Key == "Delay").Value!, CultureInfo.InvariantCulture).TotalMilliseconds);
        Assert.Equal([100, 200, 400, 400, 400], delays);
        Assert.Equal(0, calls);
    }

    private static List<FakeLogRecord> Failures(FakeLogger logger) =>
        [.. logger.Collector.GetSnapshot().Where(r => r.Id.Id is 101 or 105)];
}
