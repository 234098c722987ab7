namespace BackOffice.Orders;

/// <summary>A customer order as the back office sees it.</summary>
public sealed record Order(string Number, string Customer, DateTimeOffset PlacedAt, decimal Total, OrderStatus Status);
