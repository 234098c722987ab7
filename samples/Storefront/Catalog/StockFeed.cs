using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Storefront.Catalog;

/// <summary>
/// The product page's live stock level: a server-sent-event stream (<c>GET /api/products/{id}/stock</c>) that sends the
/// units in stock every second. A real shop would push changes from its warehouse; the sample counts down and restocks.
/// When maintenance starts, UseMaintenanceMode() ends this stream after MaintenanceMode:DrainTimeout (visitors who are
/// not let through), and the browser's reconnect gets the maintenance answer.
/// </summary>
public static class StockFeed
{
    /// <summary>Maps the stream onto <paramref name="products"/> (the <c>/api/products</c> group).</summary>
    public static void MapStockFeed(this RouteGroupBuilder products) =>
        products.MapGet("/{id:int}/stock", Results<ServerSentEventsResult<int>, NotFound> (int id, ProductCatalog catalog, CancellationToken aborted) =>
            catalog.Find(id) is { } product
                ? TypedResults.ServerSentEvents(LevelsAsync(product, aborted), eventType: "stock")
                : TypedResults.NotFound());

    private static async IAsyncEnumerable<int> LevelsAsync(Product product, [EnumeratorCancellation] CancellationToken aborted)
    {
        var level = 10 + (product.Id * 7 % 20);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            yield return level;
            level = level > 1 ? level - 1 : 25;
        }
        while (await timer.WaitForNextTickAsync(aborted));
    }
}
