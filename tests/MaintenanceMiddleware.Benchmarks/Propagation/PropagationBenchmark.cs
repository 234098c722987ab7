using MaintenanceMiddleware;
using MaintenanceMiddleware.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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
    private const string Schema = "mm_propagation_bench";
    private const string HostApplicationName = "mm_propagation_host";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await PropagationMeasurement.ParseAsync(args, "usage: propagation \"<PostgreSQL connection string>\" [toggles, default 100] [--hosts N, default 3]").ConfigureAwait(false) is not var (connectionString, toggles, hosts))
        {
            return 2;
        }

        var apps = new List<WebApplication>();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = new PostgreSqlMaintenanceStateStore(
            dataSource,
            Options.Create(new PostgreSqlStoreOptions { Schema = Schema }),
            NullLogger<PostgreSqlMaintenanceStateStore>.Instance,
            TimeProvider.System);
        await store.MigrateAsync().ConfigureAwait(false);
        var service = MaintenanceModeServiceFactory.Create(store);
        try
        {
            for (var i = 0; i < hosts; i++)
            {
                apps.Add(await StartHostAsync(connectionString).ConfigureAwait(false));
            }

            await PropagationMeasurement.RunAsync(
                "PostgreSQL",
                service,
                apps,
                toggles,
                async () => $"{await CountHostConnectionsAsync(dataSource).ConfigureAwait(false)} database connections").ConfigureAwait(false);
            return 0;
        }
        finally
        {
            await PropagationMeasurement.StopAsync(apps).ConfigureAwait(false);
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
        builder.Services.AddMaintenanceMode(o => o.Application = PropagationMeasurement.Application).UsePostgreSql(connectionString, o => o.Schema = Schema);
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }
}
