using System.Globalization;
using MaintenanceMiddleware;
using MaintenanceMiddleware.Redis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MaintenanceMiddleware.Benchmarks.Propagation;

/// <summary>
/// Propagation over Redis: app hosts (Kestrel on loopback, 3 unless <c>--hosts</c> says otherwise) share one Redis
/// under their own key prefix; the same measurement as for PostgreSQL. Connections are counted with <c>CLIENT LIST</c>
/// by the client name the hosts connect with.
/// Usage: propagation-redis "&lt;connection string&gt;" [toggles] [--hosts N]
/// </summary>
internal static class RedisPropagationBenchmark
{
    private const string KeyPrefix = "mm-propagation-bench";
    private const string HostClientName = "mm_propagation_host";

    public static async Task<int> RunAsync(string[] args)
    {
        if (await PropagationMeasurement.ParseAsync(args, "usage: propagation-redis \"<Redis connection string>\" [toggles, default 100] [--hosts N, default 3]").ConfigureAwait(false) is not var (connectionString, toggles, hosts))
        {
            return 2;
        }

        var admin = ConfigurationOptions.Parse(connectionString);
        admin.AllowAdmin = true;
        await using var adminConnection = await ConnectionMultiplexer.ConnectAsync(admin).ConfigureAwait(false);
        await using var store = new RedisMaintenanceStateStore(
            Options.Create(new RedisStoreOptions { ConnectionString = connectionString, KeyPrefix = KeyPrefix }),
            NullLogger<RedisMaintenanceStateStore>.Instance,
            TimeProvider.System);
        var service = MaintenanceModeServiceFactory.Create(store);
        var apps = new List<WebApplication>();
        try
        {
            for (var i = 0; i < hosts; i++)
            {
                apps.Add(await StartHostAsync($"{connectionString},name={HostClientName}").ConfigureAwait(false));
            }

            await PropagationMeasurement.RunAsync("Redis", service, apps, toggles, async () =>
            {
                var clients = await adminConnection.GetServers()[0].ClientListAsync().ConfigureAwait(false);
                var held = clients.Count(c => c.Name == HostClientName);
                return string.Create(CultureInfo.InvariantCulture, $"{held} Redis connections (CLIENT LIST), {(double)held / hosts:F2} per host");
            }).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            await PropagationMeasurement.StopAsync(apps).ConfigureAwait(false);
        }
    }

    private static async Task<WebApplication> StartHostAsync(string connectionString)
    {
        // No configuration file watchers: many hosts in one process would exhaust the inotify instances (128 by default).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMaintenanceMode(o => o.Application = PropagationMeasurement.Application).UseRedis(connectionString, o => o.KeyPrefix = KeyPrefix);
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }
}
