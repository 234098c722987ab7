using Storefront.Catalog;

namespace Storefront.Cart;

/// <summary>One line of the cart.</summary>
public sealed record CartLine(Product Product, int Quantity)
{
    /// <summary>Price times quantity.</summary>
    public decimal Total => Product.Price * Quantity;
}
