namespace BackOffice.Orders;

/// <summary>The recent orders. A real back office reads its database; the sample keeps a fixed list in memory.</summary>
public sealed class OrderBook
{
    private static readonly DateTimeOffset s_day = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private static readonly Order[] s_orders =
    [
        new("HF-10421", "Ada Lovelace", s_day.AddHours(9.2), 84.00m, OrderStatus.New),
        new("HF-10420", "Grace Hopper", s_day.AddHours(8.7), 39.00m, OrderStatus.Packing),
        new("HF-10419", "Alan Turing", s_day.AddHours(7.1), 127.50m, OrderStatus.Packing),
        new("HF-10418", "Katherine Johnson", s_day.AddHours(-3.4), 18.00m, OrderStatus.Shipped),
        new("HF-10417", "Edsger Dijkstra", s_day.AddHours(-5.9), 58.00m, OrderStatus.Shipped),
    ];

    /// <summary>Orders, newest first.</summary>
    public IReadOnlyList<Order> Recent => s_orders;
}
