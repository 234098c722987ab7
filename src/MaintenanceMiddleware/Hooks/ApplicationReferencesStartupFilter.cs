using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// At start-up, once the pipeline is configured, checks every endpoint marked
/// <see cref="DisabledWhileInMaintenanceAttribute"/>: a fixed application must be declared by the host, and a route
/// value must be a parameter of the endpoint's route. Either mistake stops start-up naming the endpoint, instead of
/// refusing nothing.
/// </summary>
internal sealed class ApplicationReferencesStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        if (app.ApplicationServices.GetService<EndpointDataSource>() is { } endpoints)
        {
            Check(endpoints.Endpoints, ApplicationReferencesValidator.Declared(app.ApplicationServices.GetRequiredService<IOptions<MaintenanceModeOptions>>().Value));
        }
    };

    internal static void Check(IReadOnlyList<Endpoint> endpoints, IReadOnlyList<string> declared)
    {
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<DisabledWhileInMaintenanceAttribute>() is not { } target)
            {
                continue;
            }

            if (target.Application is { } application && !declared.Contains(application, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The endpoint '{endpoint.DisplayName}' is disabled while '{application}' is in maintenance (.DisabledWhileInMaintenance): " +
                    MaintenanceApplicationGates.UndeclaredMessage(application, declared));
            }

            if (target.Application is null)
            {
                if (target.RouteValue is not { } key)
                {
                    throw new InvalidOperationException(
                        $"The endpoint '{endpoint.DisplayName}' carries [DisabledWhileInMaintenance] without an application or a RouteValue: name one.");
                }

                if (endpoint is RouteEndpoint route && route.RoutePattern.GetParameter(key) is null)
                {
                    throw new InvalidOperationException(
                        $"The endpoint '{endpoint.DisplayName}' takes its target application from the route value '{key}' (.DisabledWhileTargetInMaintenance), " +
                        $"but its route '{route.RoutePattern.RawText}' has no parameter '{{{key}}}'.");
                }
            }
        }
    }
}
