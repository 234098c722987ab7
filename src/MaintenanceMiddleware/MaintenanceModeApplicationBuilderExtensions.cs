using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the maintenance middleware to the request pipeline.</summary>
public static class MaintenanceModeApplicationBuilderExtensions
{
    /// <summary>
    /// Answers requests with the maintenance response while maintenance is in force for this application.
    /// Call it early: after <c>UseForwardedHeaders</c> (where a trusted proxy sits in front), before static files,
    /// authentication and endpoints.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// <c>AddMaintenanceMode</c> was not called; or, in Production, an allowlist is configured while forwarded headers are
    /// trusted from every peer (see <see cref="MaintenanceModeOptions.AllowForwardedHeadersFromAnyPeer"/>).
    /// </exception>
    public static IApplicationBuilder UseMaintenanceMode(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<MaintenanceModeMarker>() is null)
        {
            throw new InvalidOperationException(
                "Unable to find the required services. Add them by calling 'builder.Services.AddMaintenanceMode(builder.Configuration.GetSection(\"MaintenanceMode\"))' before 'app.UseMaintenanceMode()'.");
        }

        ForwardedHeadersCheck.Run(app.ApplicationServices);
        return app.UseMiddleware<MaintenanceModeMiddleware>();
    }
}
