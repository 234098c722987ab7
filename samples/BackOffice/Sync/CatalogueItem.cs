namespace BackOffice.Sync;

/// <summary>One product as the supplier's feed describes it.</summary>
public sealed record CatalogueItem(string Sku, string Name, decimal Price, int Stock);
