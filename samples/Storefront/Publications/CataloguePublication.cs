namespace Storefront.Publications;

/// <summary>One publication of the catalogue from the Back Office: a full publication replaces the catalogue, otherwise it updates it.</summary>
/// <param name="Id">The Back Office's identifier of the publication.</param>
/// <param name="Full">Whether it is a full publication (a resynchronisation) rather than an update.</param>
/// <param name="Items">The catalogue items it carries (SKU, name, price, stock).</param>
public sealed record CataloguePublication(string Id, bool Full, IReadOnlyList<PublishedItem> Items);
