using System.Diagnostics;
using System.Globalization;
using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.Benchmarks.Propagation;

/// <summary>
/// Confirmed switching over PostgreSQL (issue 11, <c>enable --wait</c>): N "hosts" (50 unless <c>--hosts</c> says
/// otherwise), each a store with its own data source on one database, watch the state; on each change a host re-reads
/// it and reports the applied version with <c>Drained=true</c> (and heartbeats every 5 s meanwhile, as the reporter
/// does). A waiter watching the instances (pushed by NOTIFY) measures from the commit of the change until every host's
/// report shows the new version. Usage: propagation-ack "&lt;connection string&gt;" [rounds] [--hosts N]
/// </summary>
internal static class AckPropagationBenchmark
{
    private const string Schema = "mm_ack_bench";
    private const string HostApplicationName = "mm_ack_host";
    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        if (await PropagationMeasurement.ParseAsync(args, "usage: propagation-ack \"<PostgreSQL connection string>\" [rounds, default 100] [--hosts N, default 50]", defaultHosts: 50).ConfigureAwait(false) is not var (connectionString, rounds, hostCount))
        {
            return 2;
        }

        await using var operatorSource = NpgsqlDataSource.Create(connectionString);
        await using var operatorStore = Store(operatorSource);
        await operatorStore.MigrateAsync().ConfigureAwait(false);
        await using (var clear = operatorSource.CreateCommand($"DELETE FROM {Schema}.maintenance_instances"))
        {
            await clear.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var service = MaintenanceModeServiceFactory.Create(operatorStore);
        var actor = new MaintenanceActor("benchmark", "code");
        var application = PropagationMeasurement.Application;
        if ((await service.GetStatusAsync(application).ConfigureAwait(false)).Own.Enabled)
        {
            await service.DisableAsync(new DisableMaintenanceRequest { Application = application, Reason = "benchmark reset", Actor = actor }).ConfigureAwait(false);
        }

        var hosts = new List<AckHost>();
        await using var waiterSource = NpgsqlDataSource.Create(connectionString);
        await using var waiterStore = Store(waiterSource);
        var waiter = new AckWaiter(waiterStore, application, hostCount);
        try
        {
            var hostConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = HostApplicationName, Pooling = false }.ConnectionString;
            for (var i = 0; i < hostCount; i++)
            {
                hosts.Add(AckHost.Start(NpgsqlDataSource.Create(hostConnectionString), Store, $"ack-host-{i:00}", application, s_heartbeat));
            }

            waiter.Start();
            var current = (await service.GetStatusAsync(application).ConfigureAwait(false)).Own.Version;
            await waiter.WaitAsync(current, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            await using var count = operatorSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name");
            count.Parameters.AddWithValue("name", HostApplicationName);
            var held = (long)(await count.ExecuteScalarAsync().ConfigureAwait(false))!;

            var afterCommit = new List<double>();
            var afterCall = new List<double>();
            var applied = new List<double>();
            var acknowledged = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                var call = Stopwatch.StartNew();
                var state = i % 2 == 0
                    ? await service.EnableAsync(new EnableMaintenanceRequest { Application = application, Reason = $"round {i}", Actor = actor }).ConfigureAwait(false)
                    : await service.DisableAsync(new DisableMaintenanceRequest { Application = application, Reason = $"round {i} done", Actor = actor }).ConfigureAwait(false);
                var committed = Stopwatch.StartNew();
                var committedAt = Stopwatch.GetTimestamp();
                await waiter.WaitAsync(state.Version, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                afterCommit.Add(committed.Elapsed.TotalMilliseconds);
                afterCall.Add(call.Elapsed.TotalMilliseconds);
                applied.Add(Stopwatch.GetElapsedTime(committedAt, hosts.Max(h => h.AppliedAt)).TotalMilliseconds);
                acknowledged.Add(Stopwatch.GetElapsedTime(committedAt, hosts.Max(h => h.AcknowledgedAt)).TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PostgreSQL confirmed switching, {hostCount} hosts (one store and data source each, heartbeat {s_heartbeat.TotalSeconds:F0} s), {rounds} switches, {Environment.ProcessorCount} cores; idle hosts held {held} database connections"));
            Report("commit -> every host read the new version (last host)          ", applied);
            Report("commit -> every host's report written (last upsert committed)  ", acknowledged);
            Report("commit -> the waiter saw every host report it, drained          ", afterCommit);
            Report("call   -> the waiter saw every host report it, drained          ", afterCall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waiter: {waiter.Reads} instance-list reads, {waiter.Pushes} watch callbacks; hosts: {hosts.Sum(h => h.Reports)} reports"));
            return 0;
        }
        finally
        {
            await waiter.StopAsync().ConfigureAwait(false);
            foreach (var host in hosts)
            {
                await host.StopAsync().ConfigureAwait(false);
            }
        }
    }

    private static PostgreSqlMaintenanceStateStore Store(NpgsqlDataSource dataSource) =>
        new(dataSource, Options.Create(new PostgreSqlStoreOptions { Schema = Schema }), NullLogger<PostgreSqlMaintenanceStateStore>.Instance, TimeProvider.System);

    private static void Report(string title, List<double> samples)
    {
        samples.Sort();
        double At(double p) => samples[Math.Clamp((int)Math.Ceiling(p * samples.Count) - 1, 0, samples.Count - 1)];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{title}: p50 {At(0.50):F2} ms, p95 {At(0.95):F2} ms, p99 {At(0.99):F2} ms, max {samples[^1]:F2} ms, min {samples[0]:F2} ms"));
    }
}
