namespace Storefront.Catalog;

/// <summary>A product on sale. <see cref="Colour"/> tints the product's picture.</summary>
public sealed record Product(int Id, string Slug, string Name, string Summary, decimal Price, string Colour, string Category);
