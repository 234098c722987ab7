using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>A real app on Kestrel at 127.0.0.1 (a free port), with maintenance mode, its endpoints and an API key.</summary>
internal sealed class KestrelTestHost : IAsyncDisposable
{
    public const string PipelineKey = "pipeline-key-5f2c9a";

    private KestrelTestHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public Uri EndpointsUrl => new(BaseAddress, "/_maintenance");

    public static async Task<KestrelTestHost> StartAsync(Action<MaintenanceModeBuilder> store)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        store(builder.Services.AddMaintenanceMode(o => o.Application = "Storefront"));
        builder.Services.AddAuthentication().AddMaintenanceApiKey(o => o.AddKeyHash("pipeline", MaintenanceApiKeyHash.Compute(PipelineKey)));
        builder.Services.AddAuthorizationBuilder().AddMaintenanceOperatorPolicy();
        var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => "Storefront home");
        app.MapMaintenanceEndpoints("/_maintenance").RequireAuthorization(MaintenanceApiKeyDefaults.PolicyName);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelTestHost(app, new Uri(address));
    }

    /// <summary>A plain app on Kestrel at 127.0.0.1 that answers every request with <paramref name="handler"/>.</summary>
    public static async Task<KestrelTestHost> StartPlainAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelTestHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
