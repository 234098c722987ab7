using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MaintenanceMiddleware.Tests.State;

/// <summary>An in-process app (TestServer) on the file store at a given path, with logs captured by a fake logger.</summary>
internal sealed class MaintenanceTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MaintenanceTestHost(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public FakeLogCollector Logs => _app.Services.GetFakeLogCollector();

    public IMaintenanceModeService Service => Services.GetRequiredService<IMaintenanceModeService>();

    public IMaintenanceModeGate Gate => Services.GetRequiredService<IMaintenanceModeGate>();

    internal MaintenanceStateMonitor Monitor => Services.GetRequiredService<MaintenanceStateMonitor>();

    public static async Task<MaintenanceTestHost> StartAsync(
        string contentRoot,
        string statePath,
        Action<IServiceCollection>? configureServices = null,
        string application = "Storefront",
        Action<MaintenanceModeOptions>? configureOptions = null,
        bool fileWatcher = true)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = contentRoot });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFakeLogging();
        configureServices?.Invoke(builder.Services);
        var maintenance = builder.Services.AddMaintenanceMode(o =>
            {
                o.Application = application;
                configureOptions?.Invoke(o);
            })
            .UseFileStore(o =>
            {
                o.Path = statePath;
                o.PollInterval = TimeSpan.FromMilliseconds(250);
            });
        if (!fileWatcher)
        {
            // As on a network share or in a container where the watcher never fires: polling alone, at the default interval.
            maintenance.UseStore(_ => new FileMaintenanceStateStore(
                new FileStoreOptions { Path = System.IO.Path.GetFullPath(statePath, contentRoot) }) { UseFileSystemWatcher = false });
        }

        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "the real site");
        await app.StartAsync();
        return new MaintenanceTestHost(app);
    }

    public async Task<int> GetStatusCodeAsync()
    {
        using var response = await Client.GetAsync(new Uri("/", UriKind.Relative));
        return (int)response.StatusCode;
    }

    /// <summary>Polls the site until it answers <paramref name="status"/>; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForStatusAsync(int status, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (await GetStatusCodeAsync() != status)
        {
            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"The host did not answer {status} within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }

        return started.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
