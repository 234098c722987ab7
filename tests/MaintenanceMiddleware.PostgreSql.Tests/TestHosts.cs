using System.Globalization;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MaintenanceMiddleware.PostgreSql.Tests;

/// <summary>In-process app hosts on the PostgreSQL store, and stores for direct use.</summary>
internal static class TestHosts
{
    public static async Task<IHost> StartAppAsync(string connectionString, string application = "Storefront", TimeSpan? startupTimeout = null, TimeSpan? storePoll = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode"), o =>
        {
            o.Application = application;
            o.StartupTimeout = startupTimeout ?? TimeSpan.FromSeconds(2);
        })
        .UsePostgreSql(connectionString, o =>
        {
            o.PollInterval = storePoll ?? TimeSpan.FromSeconds(5);
            o.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
        });

        builder.Services.AddHealthChecks().AddMaintenanceModeCheck();

        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync();
        return app;
    }

    public static async Task<HealthStatus> HealthAsync(IHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status;

    public static async Task<int> GetStatusAsync(IHost host, string path = "/")
    {
        using var client = host.GetTestServer().CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (int)response.StatusCode;
    }

    public static PostgreSqlMaintenanceStateStore CreateStore(NpgsqlDataSource dataSource, Action<PostgreSqlStoreOptions>? configure = null, ILogger<PostgreSqlMaintenanceStateStore>? logger = null)
    {
        var options = new PostgreSqlStoreOptions { PollInterval = TimeSpan.FromSeconds(5), MaxReconnectDelay = TimeSpan.FromMilliseconds(500) };
        configure?.Invoke(options);
        return new PostgreSqlMaintenanceStateStore(dataSource, Options.Create(options), logger ?? NullLogger<PostgreSqlMaintenanceStateStore>.Instance, TimeProvider.System);
    }

    public static IMaintenanceModeService CreateService(IMaintenanceStateStore store) =>
        new MaintenanceModeService(store, Options.Create(new MaintenanceModeOptions()));

    public static Task<MaintenanceState> EnableAsync(IMaintenanceModeService service, string application = "Storefront", string reason = "Release 42") =>
        service.EnableAsync(new EnableMaintenanceRequest { Application = application, Reason = reason, Actor = new MaintenanceActor("tester", "test") });

    public static Task<MaintenanceState> DisableAsync(IMaintenanceModeService service, string application = "Storefront", string reason = "Release 42 done") =>
        service.DisableAsync(new DisableMaintenanceRequest { Application = application, Reason = reason, Actor = new MaintenanceActor("tester", "test") });

    public static MaintenanceStateMonitor Monitor(IHost host) => host.Services.GetRequiredService<MaintenanceStateMonitor>();

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }
    }

    public static Task<bool> AllAnswerAsync(IEnumerable<IHost> hosts, int status, TimeSpan timeout) =>
        WaitForAsync(
            async () =>
            {
                foreach (var host in hosts)
                {
                    if (await GetStatusAsync(host) != status)
                    {
                        return false;
                    }
                }

                return true;
            },
            timeout);
}
