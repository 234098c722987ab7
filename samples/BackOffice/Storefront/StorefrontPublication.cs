using BackOffice.Sync;

namespace BackOffice.Storefront;

/// <summary>What the Back Office sends the Storefront: the catalogue, in full (a resynchronisation) or as an update.</summary>
public sealed record StorefrontPublication(string Id, bool Full, IReadOnlyList<CatalogueItem> Items);
