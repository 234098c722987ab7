using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Redis.Tests;

/// <summary>In-process app hosts on the Redis store, and stores for direct use.</summary>
internal static class TestHosts
{
    public static async Task<WebApplication> StartAppAsync(string connectionString, string prefix, string application = "Storefront", TimeSpan? storePoll = null, FakeLogCollector? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        }

        builder.Services.AddMaintenanceMode(o =>
        {
            o.Application = application;
            o.StartupTimeout = TimeSpan.FromSeconds(2);
        })
        .UseRedis(connectionString, o =>
        {
            o.KeyPrefix = prefix;
            o.PollInterval = storePoll ?? TimeSpan.FromSeconds(30);
        });

        builder.Services.AddHealthChecks().AddMaintenanceModeCheck();
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "home");
        await app.StartAsync();
        return app;
    }

    public static RedisMaintenanceStateStore CreateStore(string connectionString, string prefix, Action<RedisStoreOptions>? configure = null, ILogger<RedisMaintenanceStateStore>? logger = null)
    {
        var options = new RedisStoreOptions { ConnectionString = connectionString, KeyPrefix = prefix, PollInterval = TimeSpan.FromSeconds(30) };
        configure?.Invoke(options);
        return new RedisMaintenanceStateStore(Options.Create(options), logger ?? NullLogger<RedisMaintenanceStateStore>.Instance, TimeProvider.System);
    }

    public static IMaintenanceModeService CreateService(IMaintenanceStateStore store) =>
        MaintenanceModeServiceFactory.Create(store, options: null);

    public static Task<MaintenanceState> EnableAsync(IMaintenanceModeService service, string application = "Storefront", string reason = "Release 42") =>
        service.EnableAsync(new EnableMaintenanceRequest { Application = application, Reason = reason, Actor = new MaintenanceActor("tester", "test") });

    public static Task<MaintenanceState> DisableAsync(IMaintenanceModeService service, string application = "Storefront", string reason = "Release 42 done") =>
        service.DisableAsync(new DisableMaintenanceRequest { Application = application, Reason = reason, Actor = new MaintenanceActor("tester", "test") });

    public static async Task<HealthStatus> HealthAsync(IHost host) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status;

    public static async Task<int> GetStatusAsync(IHost host)
    {
        using var client = host.GetTestServer().CreateClient();
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        return (int)response.StatusCode;
    }

    public static MaintenanceAuditEntry AuditFor(MaintenanceState state, string reason) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Action = MaintenanceAction.Enable,
        Application = state.Application,
        Reason = reason,
        Actor = "tester",
        Source = "test",
        Before = MaintenanceState.Off(state.Application),
        After = state,
    };

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
