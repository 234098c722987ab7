using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Control.Endpoints;

/// <summary>
/// Builds the endpoints once the pipeline is configured, at start-up, so that maintenance endpoints without an
/// authorization policy stop the application from starting instead of failing its first request.
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
            _ = endpoints.Endpoints;
        }
    };
}
