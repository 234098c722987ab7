using System.Net;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;

namespace MaintenanceMiddleware.Tests.Request;

/// <summary>What a test host is built from: a content root with a designed page, configuration and endpoints.</summary>
public sealed class RequestTestHostSetup
{
    public const string Application = "Storefront";
    public const string PageHtml = "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"/maintenance/style.css\"></head><body><h1>Storefront is being improved</h1></body></html>";
    public const string Css = "body { color: #123456; }";

    public Dictionary<string, string?> Configuration { get; } = new() { ["MaintenanceMode:Application"] = Application };

    public bool WritePage { get; set; } = true;

    /// <summary>The host environment name; tests that check Production-only rules set "Production".</summary>
    public string EnvironmentName { get; set; } = "Testing";

    public TimeProvider? Time { get; set; }

    public IMaintenanceStateStore? Store { get; set; }

    public Action<IServiceCollection>? Services { get; set; }

    /// <summary>More configuration sources, added after the in-memory <see cref="Configuration"/>.</summary>
    public Action<IConfigurationBuilder>? ConfigurationSources { get; set; }

    /// <summary>Middleware added before <c>UseMaintenanceMode</c> (e.g. <c>UseForwardedHeaders</c>).</summary>
    public Action<WebApplication>? Before { get; set; }

    /// <summary>Extra endpoints beside the default ones.</summary>
    public Action<WebApplication>? Endpoints { get; set; }
}

/// <summary>
/// An in-process app (TestServer) with maintenance mode over an in-memory store, a temporary content root holding
/// <c>public/Storefront/maintenance/</c>, and endpoints that answer "real site".
/// </summary>
public sealed class RequestTestHost : IAsyncDisposable
{
    public const string RealSite = "real site";

    private RequestTestHost(WebApplication app, string contentRoot)
    {
        App = app;
        ContentRoot = contentRoot;
        Server = app.GetTestServer();
    }

    public WebApplication App { get; }

    public TestServer Server { get; }

    public string ContentRoot { get; }

    public string PageFolder => Path.Combine(ContentRoot, "public", RequestTestHostSetup.Application, "maintenance");

    public FakeLogCollector Logs => App.Services.GetFakeLogCollector();

    public IMaintenanceModeService Service => App.Services.GetRequiredService<IMaintenanceModeService>();

    internal MaintenanceStateMonitor Monitor => App.Services.GetRequiredService<MaintenanceStateMonitor>();

    public static string NewContentRoot(bool writePage = true)
    {
        var root = Path.Combine(Path.GetTempPath(), "mm-request-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(root, "secret.txt"), "top secret");
        File.WriteAllText(Path.Combine(root, "public", RequestTestHostSetup.Application, "outside.css"), "outside { }");
        if (writePage)
        {
            File.WriteAllText(Path.Combine(folder, "index.html"), RequestTestHostSetup.PageHtml);
            File.WriteAllText(Path.Combine(folder, "style.css"), RequestTestHostSetup.Css);
            Directory.CreateDirectory(Path.Combine(folder, "img"));
            File.WriteAllBytes(Path.Combine(folder, "img", "logo.png"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        }

        return root;
    }

    public static async Task<RequestTestHost> StartAsync(Action<RequestTestHostSetup>? configure = null, string? contentRoot = null)
    {
        var setup = new RequestTestHostSetup();
        configure?.Invoke(setup);
        contentRoot ??= NewContentRoot(setup.WritePage);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, EnvironmentName = setup.EnvironmentName });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(setup.Configuration);
        setup.ConfigurationSources?.Invoke(builder.Configuration);
        builder.Services.AddRouting();
        builder.Services.AddFakeLogging();
        if (setup.Time is not null)
        {
            builder.Services.AddSingleton(setup.Time);
        }

        var store = setup.Store ?? new InMemoryMaintenanceStateStore();
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UseStore(_ => store);
        setup.Services?.Invoke(builder.Services);

        var app = builder.Build();
        setup.Before?.Invoke(app);
        app.UseMaintenanceMode();
        app.MapGet("/", () => RealSite);
        app.MapPost("/", () => RealSite);
        app.MapMethods("/", ["OPTIONS", "HEAD"], () => RealSite);
        app.MapGet("/api/orders", () => Results.Json(new { orders = Array.Empty<int>() }));
        app.MapGet("/.well-known/security.txt", () => RealSite);
        app.MapGet("/health/live", () => RealSite);
        app.MapGet("/healthz", () => RealSite);
        app.MapGet("/maintenance/style.css", () => "the app's own stylesheet");
        setup.Endpoints?.Invoke(app);
        await app.StartAsync();
        return new RequestTestHost(app, contentRoot);
    }

    /// <summary>Switches maintenance on for Storefront and waits until this instance's snapshot shows it.</summary>
    public async Task EnableAsync(string reason = "Release 42", DateTimeOffset? endsAt = null, MaintenanceMode mode = MaintenanceMode.Full, IReadOnlyList<string>? allowedNetworks = null, string application = RequestTestHostSetup.Application)
    {
        await Service.EnableAsync(new EnableMaintenanceRequest
        {
            Application = application,
            Reason = reason,
            EndsAt = endsAt,
            Mode = mode,
            AllowedNetworks = allowedNetworks ?? [],
        });
        await Monitor.ReloadAsync(CancellationToken.None);
        Assert.True(Monitor.Current.IsActive);
    }

    public Task<HttpContext> SendAsync(string path, string method = "GET", IPAddress? ip = null, string? accept = null, Action<HttpContext>? configure = null) =>
        Server.SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = new PathString(path);
            c.Connection.RemoteIpAddress = ip ?? IPAddress.Parse("203.0.113.50");
            if (accept is not null)
            {
                c.Request.Headers.Accept = accept;
            }

            configure?.Invoke(c);
        });

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(ContentRoot, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does no harm.
        }
    }
}

/// <summary>Reading a TestServer response.</summary>
public static class HttpContextExtensions
{
    public static string BodyText(this HttpContext context)
    {
        using var reader = new StreamReader(context.Response.Body, leaveOpen: true);
        return reader.ReadToEnd();
    }

    public static string? Header(this HttpContext context, string name) =>
        context.Response.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
