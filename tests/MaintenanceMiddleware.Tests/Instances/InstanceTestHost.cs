using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MaintenanceMiddleware.Tests.Instances;

/// <summary>An in-process app (TestServer) over a given store, with logs captured, as one instance among several.</summary>
internal sealed class InstanceTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InstanceTestHost(WebApplication app) => _app = app;

    public IServiceProvider Services => _app.Services;

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public IMaintenanceModeService Service => Services.GetRequiredService<IMaintenanceModeService>();

    internal MaintenanceInstanceReporter Reporter => Services.GetRequiredService<MaintenanceInstanceReporter>();

    public static async Task<InstanceTestHost> StartAsync(
        IMaintenanceStateStore store, string application = "Storefront", Action<MaintenanceModeOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        services?.Invoke(builder.Services);
        builder.Services.AddMaintenanceMode(o =>
            {
                o.Application = application;
                o.HeartbeatInterval = TimeSpan.FromSeconds(1);
                configure?.Invoke(o);
            })
            .UseStore(_ => store);
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "the real site");
        await app.StartAsync();
        return new InstanceTestHost(app);
    }

    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
