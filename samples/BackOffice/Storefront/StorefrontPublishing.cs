using MaintenanceMiddleware;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BackOffice.Storefront;

/// <summary>Wires publishing to the Storefront: the gated client, the resync observer, the operation and its status.</summary>
public static class StorefrontPublishing
{
    /// <summary>The operation's path.</summary>
    public const string PublishPath = "/api/storefront/publish";

    /// <summary>The gated typed client (<c>Storefront:BaseUrl</c>), the publisher and the resync on the Storefront's return.</summary>
    public static IServiceCollection AddStorefrontPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorefrontOptions>()
            .Bind(configuration.GetSection(StorefrontOptions.SectionName))
            .Validate(o => o.BaseUrl is { IsAbsoluteUri: true }, "Storefront:BaseUrl must be an absolute URL, e.g. http://127.0.0.1:5080.")
            .ValidateOnStart();

        // Skipped while the Storefront is in maintenance: the gate sends nothing and throws ApplicationInMaintenanceException.
        services.AddHttpClient<StorefrontClient>(StorefrontClient.Name, (sp, http) =>
                http.BaseAddress = sp.GetRequiredService<IOptions<StorefrontOptions>>().Value.BaseUrl)
            .AddMaintenanceGate("Storefront");
        services.AddSingleton<StorefrontPublisher>();

        // When the Storefront leaves maintenance, publish in full once.
        services.AddMaintenanceModeObserver<StorefrontResync>("Storefront");
        return services;
    }

    /// <summary>Counts operators' publications refused because the Storefront is in maintenance (for the dashboard).</summary>
    public static IApplicationBuilder UseRefusedPublicationCounting(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status409Conflict && context.Request.Path.Equals(PublishPath, StringComparison.OrdinalIgnoreCase))
            {
                context.RequestServices.GetRequiredService<StorefrontPublisher>().Refused();
            }
        });

    /// <summary>
    /// <c>POST /api/storefront/publish</c> (refused with 409 while the Storefront is in maintenance, whoever calls) and
    /// <c>GET /api/storefront/status</c>.
    /// </summary>
    public static void MapStorefrontPublishing(this IEndpointRouteBuilder endpoints, string authorizationPolicy)
    {
        endpoints.MapPost(PublishPath, async Task<Results<Ok<PublishingStatus>, ProblemHttpResult>> (StorefrontPublisher publisher, CancellationToken cancellationToken) =>
            {
                try
                {
                    await publisher.PublishAsync(full: false, cancellationToken);
                    return TypedResults.Ok(publisher.Status());
                }
                catch (ApplicationInMaintenanceException ex)
                {
                    // Began while this publication was in flight: it was cancelled, nothing more is sent.
                    return TypedResults.Problem(ex.PublicMessage, statusCode: StatusCodes.Status409Conflict, title: $"{ex.Application} is in maintenance");
                }
                catch (HttpRequestException ex)
                {
                    return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status502BadGateway, title: "The Storefront did not accept the publication");
                }
            })
            .RequireAuthorization(authorizationPolicy)
            .DisabledWhileInMaintenance("Storefront");

        endpoints.MapGet("/api/storefront/status", (StorefrontPublisher publisher) => TypedResults.Ok(publisher.Status()))
            .AllowDuringMaintenance();
    }
}
