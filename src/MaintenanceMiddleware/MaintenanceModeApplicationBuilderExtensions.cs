using MaintenanceMiddleware;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the maintenance middleware to the request pipeline.</summary>
public static class MaintenanceModeApplicationBuilderExtensions
{
    /// <summary>
    /// Answers requests with the maintenance response while maintenance is in force for this application.
    /// Call it early: after <c>UseForwardedHeaders</c> (where a trusted proxy sits in front), before static files,
    /// authentication and endpoints.
    /// Also serves the advance notice, anonymous, at <c>GET /_maintenance/notice</c> and its banner script at
    /// <c>GET /_maintenance/notice.js</c>: as routed endpoints when <paramref name="app"/> is a <c>WebApplication</c> (no cost
    /// per request while maintenance is off), otherwise by a path check in front of the middleware.
    /// </summary>
    /// <param name="app">The application builder (the <c>WebApplication</c>).</param>
    /// <returns><paramref name="app"/>.</returns>
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

        // The notice is resolved when the pipeline runs, not here: it needs the state store, whose options are validated
        // at start-up (ValidateOnStart), after this call.
        if (app is IEndpointRouteBuilder routes)
        {
            string[] methods = [HttpMethods.Get, HttpMethods.Head];
            routes.MapMethods(MaintenanceNotice.NoticePath, methods, static (HttpContext context) => context.RequestServices.GetRequiredService<MaintenanceNotice>().WriteNoticeAsync(context))
                .AllowDuringMaintenance().AllowAnonymous().WithDisplayName($"GET {MaintenanceNotice.NoticePath}");
            routes.MapMethods(MaintenanceNotice.ScriptPath, methods, MaintenanceNotice.WriteScriptAsync)
                .AllowDuringMaintenance().AllowAnonymous().WithDisplayName($"GET {MaintenanceNotice.ScriptPath}");
        }
        else
        {
            app.Use(next =>
            {
                var notice = app.ApplicationServices.GetRequiredService<MaintenanceNotice>();
                return context => notice.TryHandle(context, out var task) ? task : next(context);
            });
        }

        return app.UseMiddleware<MaintenanceModeMiddleware>();
    }
}
