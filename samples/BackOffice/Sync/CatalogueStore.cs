using System.Collections.Concurrent;

namespace BackOffice.Sync;

/// <summary>The back office's local copy of the supplier catalogue, kept up to date by <see cref="CatalogueSyncService"/>.</summary>
public sealed class CatalogueStore
{
    private readonly ConcurrentDictionary<string, CatalogueItem> _items = new(StringComparer.Ordinal);

    /// <summary>Every item, ordered by SKU.</summary>
    public IReadOnlyList<CatalogueItem> Items => [.. _items.Values.OrderBy(i => i.Sku, StringComparer.Ordinal)];

    /// <summary>Adds or replaces <paramref name="items"/>.</summary>
    public void Upsert(IEnumerable<CatalogueItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            _items[item.Sku] = item;
        }
    }
}
