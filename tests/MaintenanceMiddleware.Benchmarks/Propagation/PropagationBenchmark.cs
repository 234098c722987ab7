using System.Diagnostics;
using System.Globalization;
using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.Benchmarks.Propagation;

/// <summary>
/// Propagation over PostgreSQL: app hosts (Kestrel on loopback, 3 unless <c>--hosts</c> says otherwise) share one
/// database; an operator enables and disables maintenance 100 times through the service; each time we measure until
/// every host answers 503 (then 200). Each host holds one connection, so N hosts need <c>max_connections</c> above N.
/// Usage: propagation "&lt;connection string&gt;" [toggles] [--hosts N]
/// </summary>
internal static class PropagationBenchmark
{
    private const string Application = "PropagationBench";
    private const string Schema = "mm_propagation_bench";
    private const int DefaultHosts = 3;
    private const string HostApplicationName = "mm_propagation_host";

    public static async Task<int> RunAsync(string[] args)
    {
        var hosts = DefaultHosts;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--hosts" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                hosts = n;
                i++;
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (positional.Count == 0 || (positional.Count > 1 && !int.TryParse(positional[1], CultureInfo.InvariantCulture, out _)))
        {
            await Console.Error.WriteLineAsync("usage: propagation \"<PostgreSQL connection string>\" [toggles, default 100] [--hosts N, default 3]").ConfigureAwait(false);
            return 2;
        }

        var connectionString = positional[0];
        var toggles = positional.Count > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 100;

        var apps = new List<WebApplication>();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = new PostgreSqlMaintenanceStateStore(
            dataSource,
            Options.Create(new PostgreSqlStoreOptions { Schema = Schema }),
            NullLogger<PostgreSqlMaintenanceStateStore>.Instance,
            TimeProvider.System);
        await store.MigrateAsync().ConfigureAwait(false);
        var service = new MaintenanceModeService(store, Options.Create(new MaintenanceModeOptions()));
        var actor = new MaintenanceActor("benchmark", "code");
        try
        {
            // Start from a known state.
            if ((await service.GetStatusAsync(Application).ConfigureAwait(false)).Own.Enabled)
            {
                await service.DisableAsync(new DisableMaintenanceRequest { Application = Application, Reason = "benchmark reset", Actor = actor }).ConfigureAwait(false);
            }

            var urls = new List<Uri>();
            for (var i = 0; i < hosts; i++)
            {
                var app = await StartHostAsync(connectionString).ConfigureAwait(false);
                apps.Add(app);
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                urls.Add(new Uri(address + "/"));
            }

            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 });
            await WaitAllAsync(client, urls, 200, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            var held = await CountHostConnectionsAsync(dataSource).ConfigureAwait(false);

            var afterCommit = new List<double>();
            var endToEnd = new List<double>();
            var back = new List<double>();
            for (var i = 0; i < toggles; i++)
            {
                var total = Stopwatch.StartNew();
                await service.EnableAsync(new EnableMaintenanceRequest { Application = Application, Reason = $"toggle {i}", Actor = actor }).ConfigureAwait(false);
                var committed = Stopwatch.StartNew();
                await WaitAllAsync(client, urls, 503, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                afterCommit.Add(committed.Elapsed.TotalMilliseconds);
                endToEnd.Add(total.Elapsed.TotalMilliseconds);

                await service.DisableAsync(new DisableMaintenanceRequest { Application = Application, Reason = $"toggle {i} done", Actor = actor }).ConfigureAwait(false);
                committed.Restart();
                await WaitAllAsync(client, urls, 200, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                back.Add(committed.Elapsed.TotalMilliseconds);
            }

            // Second pass without HTTP pollers competing for the CPU: the hosts' gates (IMaintenanceModeGate) signal the
            // snapshot swap, which is what the next request reads; one request per host then confirms the answer.
            var gates = apps.Select(a => a.Services.GetRequiredService<IMaintenanceModeGate>()).ToList();
            var swapOn = new List<double>();
            var swapOff = new List<double>();
            for (var i = 0; i < toggles; i++)
            {
                var started = Task.WhenAll(gates.Select(g => WhenCancelled(g.MaintenanceStartedToken)));
                await service.EnableAsync(new EnableMaintenanceRequest { Application = Application, Reason = $"gate toggle {i}", Actor = actor }).ConfigureAwait(false);
                var committed = Stopwatch.StartNew();
                await started.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                swapOn.Add(committed.Elapsed.TotalMilliseconds);
                await WaitAllAsync(client, urls, 503, TimeSpan.FromSeconds(1)).ConfigureAwait(false);

                await service.DisableAsync(new DisableMaintenanceRequest { Application = Application, Reason = $"gate toggle {i} done", Actor = actor }).ConfigureAwait(false);
                committed.Restart();
                await Task.WhenAll(gates.Select(g => g.WaitUntilEndedAsync())).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                swapOff.Add(committed.Elapsed.TotalMilliseconds);
                await WaitAllAsync(client, urls, 200, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }

            Console.WriteLine($"PostgreSQL propagation, {hosts} hosts (Kestrel on loopback), {toggles} toggles, {Environment.ProcessorCount} cores; the hosts held {held} database connections when idle");
            Report("enable:  commit -> every host answers 503 (HTTP polling)", afterCommit);
            Report("enable:  call   -> every host answers 503 (HTTP polling)", endToEnd);
            Report("disable: commit -> every host answers 200 (HTTP polling)", back);
            Report("enable:  commit -> every host's snapshot on (gate)     ", swapOn);
            Report("disable: commit -> every host's snapshot off (gate)    ", swapOff);
            return 0;
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.StopAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<long> CountHostConnectionsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name");
        command.Parameters.AddWithValue("name", HostApplicationName);
        return (long)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private static async Task<WebApplication> StartHostAsync(string connectionString)
    {
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = HostApplicationName }.ConnectionString;
        // No configuration file watchers: 200 hosts in one process would exhaust the inotify instances (128 by default).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMaintenanceMode(o => o.Application = Application).UsePostgreSql(connectionString, o => o.Schema = Schema);
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }

    // Polls every host at once, about every millisecond, until each answers the status; returns when the last one does.
    private static Task WaitAllAsync(HttpClient client, List<Uri> urls, int status, TimeSpan timeout) =>
        Task.WhenAll(urls.Select(async url =>
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                using (var response = await client.GetAsync(url).ConfigureAwait(false))
                {
                    if ((int)response.StatusCode == status)
                    {
                        return;
                    }
                }

                if (deadline.Elapsed > timeout)
                {
                    throw new TimeoutException($"{url} did not answer {status} within {timeout}.");
                }

                // A breath between polls (about 1 ms), so the three pollers do not starve the hosts they measure of CPU.
                await Task.Delay(1).ConfigureAwait(false);
            }
        }));

    private static Task WhenCancelled(CancellationToken token)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.Register(static d => ((TaskCompletionSource)d!).TrySetResult(), done);
        return done.Task;
    }

    private static void Report(string title, List<double> samples)
    {
        samples.Sort();
        double At(double p) => samples[Math.Clamp((int)Math.Ceiling(p * samples.Count) - 1, 0, samples.Count - 1)];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{title}: p50 {At(0.50):F2} ms, p99 {At(0.99):F2} ms, max {samples[^1]:F2} ms, min {samples[0]:F2} ms"));
    }
}
