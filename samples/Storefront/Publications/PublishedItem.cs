namespace Storefront.Publications;

/// <summary>One catalogue item as the Back Office publishes it.</summary>
public sealed record PublishedItem(string Sku, string Name, decimal Price, int Stock);
