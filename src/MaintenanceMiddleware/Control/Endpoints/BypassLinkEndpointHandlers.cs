using Microsoft.AspNetCore.Http;

namespace MaintenanceMiddleware;

/// <summary>
/// <c>POST {prefix}/bypass</c> (create), <c>GET {prefix}/bypass</c> (<c>?app=</c>, the live links) and
/// <c>POST {prefix}/bypass/revoke</c>, over <see cref="IMaintenanceModeService"/> like the other endpoints.
/// </summary>
internal static class BypassLinkEndpointHandlers
{
    public static Task CreateAsync(HttpContext context) => MaintenanceEndpointHandlers.RunAsync(context, "bypass", static async (context, service) =>
    {
        var body = await MaintenanceEndpointHandlers.ReadBodyAsync(context, MaintenanceEndpointsJsonContext.Default.CreateBypassLinkBody).ConfigureAwait(false);
        if (body.Duration is null)
        {
            throw new MaintenanceValidationException("duration", "How long the link works is required, e.g. \"duration\": \"2h\".");
        }

        if (!MaintenanceDuration.TryParse(body.Duration, out var lifetime, out var error))
        {
            throw new MaintenanceValidationException("duration", error);
        }

        var created = await service.CreateBypassLinkAsync(
            new CreateBypassLinkRequest
            {
                Application = body.Application ?? MaintenanceEndpointHandlers.OwnApplication(context),
                Name = body.Name!,
                Reason = body.Reason!,
                Lifetime = lifetime,
                Actor = MaintenanceEndpointHandlers.Actor(context),
            },
            context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(created, MaintenanceEndpointsJsonContext.Default.MaintenanceBypassLinkCreated, statusCode: StatusCodes.Status201Created);
    });

    public static Task ListAsync(HttpContext context) => MaintenanceEndpointHandlers.RunAsync(context, "bypass", static async (context, service) =>
    {
        var links = await service.GetBypassLinksAsync(MaintenanceEndpointHandlers.QueryValue(context, "app"), context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(links, MaintenanceEndpointsJsonContext.Default.IReadOnlyListMaintenanceBypassLink);
    });

    public static Task RevokeAsync(HttpContext context) => MaintenanceEndpointHandlers.RunAsync(context, "bypass/revoke", static async (context, service) =>
    {
        var body = await MaintenanceEndpointHandlers.ReadBodyAsync(context, MaintenanceEndpointsJsonContext.Default.RevokeBypassLinkBody).ConfigureAwait(false);
        var link = await service.RevokeBypassLinkAsync(
            new RevokeBypassLinkRequest { Id = body.Id!, Reason = body.Reason, Actor = MaintenanceEndpointHandlers.Actor(context) },
            context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(link, MaintenanceEndpointsJsonContext.Default.MaintenanceBypassLink);
    });
}
