using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware;

/// <summary>
/// Builds the endpoints once the pipeline is configured, at start-up, so that maintenance endpoints without an
/// authorization policy, or with a policy name that is not registered, stop the application from starting instead of
/// failing every request.
/// </summary>
internal sealed class MaintenanceEndpointsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        if (app.ApplicationServices.GetService<MaintenanceEndpointsMarker>() is { Mapped: true }
            && app.ApplicationServices.GetService<EndpointDataSource>() is { } endpoints)
        {
            // Enumerating runs every convention, including MaintenanceEndpointsAuthorizationCheck.
            CheckPolicies(app.ApplicationServices, endpoints.Endpoints);
        }
    };

    private static void CheckPolicies(IServiceProvider services, IReadOnlyList<Endpoint> endpoints)
    {
        IAuthorizationPolicyProvider? provider = null;
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<MaintenanceEndpointMetadata>() is null)
            {
                continue;
            }

            provider ??= services.GetService<IAuthorizationPolicyProvider>()
                ?? throw new InvalidOperationException(
                    $"The maintenance endpoint '{endpoint.DisplayName}' requires authorization, but authorization services are not registered. " +
                    "Call builder.Services.AddAuthorization() (or AddAuthorizationBuilder().AddMaintenanceOperatorPolicy()).");
            foreach (var data in endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>())
            {
                // The default policy provider answers synchronously; this runs once, at start-up.
                if (data.Policy is { Length: > 0 } name && provider.GetPolicyAsync(name).GetAwaiter().GetResult() is null)
                {
                    throw new InvalidOperationException(
                        $"The maintenance endpoint '{endpoint.DisplayName}' requires the authorization policy '{name}', which is not registered, so every call would fail. " +
                        $"Register it, e.g. builder.Services.AddAuthorizationBuilder().AddPolicy(\"{name}\", ...) or .AddMaintenanceOperatorPolicy() for 'MaintenanceOperator', " +
                        "or correct the name (MaintenanceMode:Endpoints:AuthorizationPolicy or .RequireAuthorization(...)).");
                }
            }
        }
    }
}
