using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Storefront.Publications;

/// <summary>The small API the Back Office publishes the catalogue to.</summary>
public static class PublicationEndpoints
{
    /// <summary>The path of the API.</summary>
    public const string Path = "/api/catalogue/publications";

    /// <summary>
    /// Counts every request to the API before anything else runs (the maintenance middleware included), so the count
    /// proves whether the Back Office sent anything while the Storefront was in maintenance.
    /// </summary>
    public static IApplicationBuilder UsePublicationCounting(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments(Path, StringComparison.OrdinalIgnoreCase))
            {
                context.RequestServices.GetRequiredService<PublicationLog>().RequestArrived();
            }

            return next(context);
        });

    /// <summary>Maps <c>POST</c> (receive a publication) and <c>GET</c> (how many were received).</summary>
    public static void MapPublications(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, async Task<Results<Ok<PublicationsReport>, BadRequest<string>>> (
            CataloguePublication publication, PublicationLog log, IOptions<PublicationOptions> options, HttpContext context) =>
        {
            if (string.IsNullOrWhiteSpace(publication.Id))
            {
                return TypedResults.BadRequest("A publication needs an id.");
            }

            try
            {
                await Task.Delay(options.Value.ApplyTime, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                log.Aborted();
                throw;
            }

            log.Received(publication);
            return TypedResults.Ok(log.Report());
        });

        // Operators and tests read the count during maintenance too.
        endpoints.MapGet(Path, (PublicationLog log) => TypedResults.Ok(log.Report())).AllowDuringMaintenance();
    }
}
