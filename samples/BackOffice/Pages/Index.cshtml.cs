using BackOffice.Orders;
using BackOffice.Storefront;
using BackOffice.Sync;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BackOffice.Pages;

public sealed class IndexModel(OrderBook orders, SyncStatus status, StorefrontPublisher publisher) : PageModel
{
    public int OpenOrders { get; private set; }

    public SyncStatusSnapshot Sync { get; private set; } = null!;

    public PublishingStatus Publishing { get; private set; } = null!;

    public void OnGet()
    {
        OpenOrders = orders.Recent.Count(o => o.Status != OrderStatus.Shipped);
        Sync = status.Snapshot();
        Publishing = publisher.Status();
    }
}
