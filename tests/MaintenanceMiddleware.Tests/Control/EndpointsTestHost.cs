using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Tests.Control;

/// <summary>An in-process app with the maintenance endpoints, two API keys and two policies.</summary>
internal static class EndpointsTestHost
{
    public const string DeployKey = "deploy-key-0123456789";
    public const string ReaderKey = "reader-key-0123456789";
    public const string DeployOnlyPolicy = "DeployOnly";

    public static async Task<WebApplication> StartAsync(
        Action<IEndpointConventionBuilder>? conventions = null,
        IMaintenanceStateStore? store = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<MaintenanceModeOptions>? configureOptions = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode"), o =>
        {
            o.Application = "Storefront";
            o.Applications.Add("BackOffice");
            configureOptions?.Invoke(o);
        }).UseStore(_ => store ?? new InMemoryMaintenanceStateStore());
        builder.Services.AddAuthentication().AddMaintenanceApiKey(o => o
            .AddKeyHash("deploy", MaintenanceApiKeyHash.Compute(DeployKey))
            .AddKeyHash("reader", MaintenanceApiKeyHash.Compute(ReaderKey)));
        builder.Services.AddAuthorizationBuilder()
            .AddMaintenanceOperatorPolicy()
            .AddPolicy(DeployOnlyPolicy, p => p
                .AddAuthenticationSchemes(MaintenanceApiKeyDefaults.AuthenticationScheme)
                .RequireClaim(MaintenanceApiKeyDefaults.KeyNameClaimType, "deploy"));
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        app.UseMaintenanceMode();
        var endpoints = app.MapMaintenanceEndpoints("/_maintenance");
        if (conventions is null)
        {
            endpoints.RequireAuthorization(DeployOnlyPolicy);
        }
        else
        {
            conventions(endpoints);
        }

        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }
}
