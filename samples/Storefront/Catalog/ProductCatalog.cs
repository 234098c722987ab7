namespace Storefront.Catalog;

/// <summary>The shop's catalogue. A real shop would read a database; the sample keeps a fixed list in memory.</summary>
public sealed class ProductCatalog
{
    private static readonly Product[] s_products =
    [
        new(1, "linen-apron", "Linen apron", "Stonewashed linen with deep pockets; softens with every wash.", 39.00m, "#c9784d", "Kitchen"),
        new(2, "enamel-mug", "Enamel mug", "A speckled enamel mug for coffee at the campsite or the desk.", 14.50m, "#3f6f8f", "Kitchen"),
        new(3, "wool-throw", "Merino throw", "A warm merino throw in a herringbone weave, 130 x 170 cm.", 89.00m, "#8a9a5b", "Home"),
        new(4, "oak-board", "Oak serving board", "Oiled oak from sustainably managed forests, with a juice groove.", 45.00m, "#a8774a", "Kitchen"),
        new(5, "beeswax-candles", "Beeswax candles", "Two hand-dipped beeswax tapers that burn clean for eight hours.", 18.00m, "#e0b44c", "Home"),
        new(6, "canvas-tote", "Canvas tote", "Heavy cotton canvas with leather handles; carries a week of groceries.", 29.00m, "#5b5b7a", "Outdoors"),
    ];

    /// <summary>Every product, in catalogue order.</summary>
    public IReadOnlyList<Product> All => s_products;

    /// <summary>The product with <paramref name="id"/>, or <see langword="null"/>.</summary>
    public Product? Find(int id) => Array.Find(s_products, p => p.Id == id);
}
