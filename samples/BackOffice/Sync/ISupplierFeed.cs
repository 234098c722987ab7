namespace BackOffice.Sync;

/// <summary>The supplier's catalogue, read page by page (a remote API in a real back office).</summary>
public interface ISupplierFeed
{
    /// <summary>How many pages a full synchronisation reads.</summary>
    int PageCount { get; }

    /// <summary>Reads one page of the catalogue. Honours <paramref name="cancellationToken"/> promptly.</summary>
    Task<IReadOnlyList<CatalogueItem>> FetchPageAsync(int page, CancellationToken cancellationToken);

    /// <summary>Reads what changed since the last synchronisation.</summary>
    Task<IReadOnlyList<CatalogueItem>> FetchChangesAsync(CancellationToken cancellationToken);
}
