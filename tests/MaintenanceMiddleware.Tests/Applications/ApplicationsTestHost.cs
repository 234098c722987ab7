using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Tests.Applications;

/// <summary>
/// An in-process Back Office (TestServer) that declares the Storefront in <c>MaintenanceMode:Applications</c>, on an
/// in-memory store the test switches directly (as another host's operator would).
/// </summary>
internal sealed class ApplicationsTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApplicationsTestHost(WebApplication app, InMemoryMaintenanceStateStore store)
    {
        _app = app;
        Store = store;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public InMemoryMaintenanceStateStore Store { get; }

    public IServiceProvider Services => _app.Services;

    public IMaintenanceModeGate Gate => Services.GetRequiredService<IMaintenanceModeGate>();

    public static WebApplication Build(
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? endpoints = null,
        InMemoryMaintenanceStateStore? store = null,
        string[]? declared = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMaintenanceMode(o =>
            {
                o.Application = "BackOffice";
                foreach (var name in declared ?? ["Storefront"])
                {
                    o.Applications.Add(name);
                }
            })
            .UseStore(_ => store ?? new InMemoryMaintenanceStateStore());
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "the back office");
        endpoints?.Invoke(app);
        return app;
    }

    public static async Task<ApplicationsTestHost> StartAsync(Action<IServiceCollection>? services = null, Action<WebApplication>? endpoints = null)
    {
        var store = new InMemoryMaintenanceStateStore();
        var app = Build(services, endpoints, store);
        await app.StartAsync();
        return new ApplicationsTestHost(app, store);
    }

    /// <summary>Writes <paramref name="application"/>'s state to the store, as another host or the CLI would.</summary>
    public Task SwitchAsync(string application, bool on, string? message = null, DateTimeOffset? endsAt = null, string reason = "INTERNAL: db migration 7731, ticket OPS-99") =>
        Switch(Store, application, on, message, endsAt, reason);

    public static async Task Switch(IMaintenanceStateStore store, string application, bool on, string? message = null, DateTimeOffset? endsAt = null, string reason = "INTERNAL: db migration 7731, ticket OPS-99")
    {
        var states = await store.GetStatesAsync();
        var before = states.FirstOrDefault(s => string.Equals(s.Application, application, StringComparison.OrdinalIgnoreCase)) ?? MaintenanceState.Off(application);
        var after = before with { Enabled = on, Reason = reason, Message = message, EndsAt = endsAt, Version = before.Version + 1, ChangedAt = DateTimeOffset.UtcNow, ChangedBy = "test" };
        await store.SaveAsync(after, before.Version, new MaintenanceAuditEntry
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = on ? MaintenanceAction.Enable : MaintenanceAction.Disable,
            Application = application,
            Reason = reason,
            Actor = "test",
            Source = "test",
            Before = before,
            After = after,
        });
    }

    /// <summary>Waits until <paramref name="condition"/> holds (the monitor follows the store asynchronously).</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
