using MaintenanceMiddleware;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the maintenance control endpoints.</summary>
public static class MaintenanceEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the maintenance endpoints under <paramref name="prefix"/>: <c>GET status</c> (<c>?app=</c>),
    /// <c>POST enable</c>, <c>POST disable</c> (JSON bodies; with <c>"wait": "30s"</c> the answer comes once every instance confirmed the change, 200, or with the instances that did not, 504), <c>GET audit</c> (<c>?app=&amp;limit=</c>), <c>GET instances</c> (<c>?app=</c>: the instances reporting to the store), <c>GET preview</c>
    /// (<c>?app=&amp;culture=&amp;message=&amp;endsAt=</c>: the maintenance page as a visitor would get it, without going down),
    /// and the bypass links: <c>POST bypass</c>, <c>GET bypass</c> (<c>?app=</c>) and <c>POST bypass/revoke</c>.
    /// They keep working while maintenance is in force.
    /// </summary>
    /// <remarks>
    /// The endpoints are never anonymous: chain <c>.RequireAuthorization("MaintenanceOperator")</c> (or any policy) on the
    /// result, or set <c>MaintenanceMode:Endpoints:AuthorizationPolicy</c>. Without one, or with <c>AllowAnonymous</c>,
    /// the application fails to start with a message that says so.
    /// </remarks>
    /// <param name="endpoints">The route builder (the <c>WebApplication</c>).</param>
    /// <param name="prefix">The path prefix, for example <c>/_maintenance</c>.</param>
    /// <returns>The group of endpoints, to chain <c>.RequireAuthorization(...)</c> and other conventions.</returns>
    /// <exception cref="InvalidOperationException"><c>AddMaintenanceMode</c> was not called.</exception>
    public static IEndpointConventionBuilder MapMaintenanceEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "/_maintenance")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var services = endpoints.ServiceProvider;
        if (services.GetService<MaintenanceModeMarker>() is null)
        {
            throw new InvalidOperationException(
                "Unable to find the required services. Add them by calling 'builder.Services.AddMaintenanceMode(builder.Configuration.GetSection(\"MaintenanceMode\"))' before 'app.MapMaintenanceEndpoints(...)'.");
        }

        services.GetService<MaintenanceEndpointsMarker>()?.MarkMapped();
        var group = endpoints.MapGroup(prefix);
        group.AllowDuringMaintenance();
        group.WithMetadata(MaintenanceEndpointMetadata.Instance);
        group.WithDisplayName($"Maintenance endpoints ({prefix})");
        if (services.GetService<IOptions<MaintenanceEndpointOptions>>()?.Value.AuthorizationPolicy is { Length: > 0 } policy)
        {
            group.RequireAuthorization(policy);
        }

        // Finally: after every other convention (including an outer group's RequireAuthorization) has added its metadata.
        ((IEndpointConventionBuilder)group).Finally(builder => MaintenanceEndpointsAuthorizationCheck.Check(builder, prefix));

        group.MapGet("/status", MaintenanceEndpointHandlers.GetStatusAsync).WithDisplayName($"GET {prefix}/status");
        group.MapPost("/enable", MaintenanceEndpointHandlers.EnableAsync).WithDisplayName($"POST {prefix}/enable");
        group.MapPost("/disable", MaintenanceEndpointHandlers.DisableAsync).WithDisplayName($"POST {prefix}/disable");
        group.MapGet("/audit", MaintenanceEndpointHandlers.GetAuditAsync).WithDisplayName($"GET {prefix}/audit");
        group.MapGet("/instances", MaintenanceEndpointHandlers.GetInstancesAsync).WithDisplayName($"GET {prefix}/instances");
        group.MapPost("/bypass", BypassLinkEndpointHandlers.CreateAsync).WithDisplayName($"POST {prefix}/bypass");
        group.MapGet("/bypass", BypassLinkEndpointHandlers.ListAsync).WithDisplayName($"GET {prefix}/bypass");
        group.MapPost("/bypass/revoke", BypassLinkEndpointHandlers.RevokeAsync).WithDisplayName($"POST {prefix}/bypass/revoke");
        group.MapGet("/preview", MaintenancePreviewHandler.PreviewAsync).WithDisplayName($"GET {prefix}/preview");
        return group;
    }
}
