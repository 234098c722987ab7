using BackOffice.Orders;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace BackOffice.Pages;

public sealed class OrdersModel(OrderBook orders) : PageModel
{
    public IReadOnlyList<Order> Orders => orders.Recent;
}
