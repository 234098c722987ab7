using BackOffice.Orders;
using BackOffice.Sync;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BackOffice.Pages;

public sealed class IndexModel(OrderBook orders, SyncStatus status) : PageModel
{
    public int OpenOrders { get; private set; }

    public SyncStatusSnapshot Sync { get; private set; } = null!;

    public void OnGet()
    {
        OpenOrders = orders.Recent.Count(o => o.Status != OrderStatus.Shipped);
        Sync = status.Snapshot();
    }
}
