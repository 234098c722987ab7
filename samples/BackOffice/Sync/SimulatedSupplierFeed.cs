using System.Globalization;
using Microsoft.Extensions.Options;

namespace BackOffice.Sync;

/// <summary>A stand-in for a supplier API: each call takes <see cref="CatalogueSyncOptions.SimulatedLatency"/>.</summary>
public sealed class SimulatedSupplierFeed(IOptions<CatalogueSyncOptions> options, TimeProvider time) : ISupplierFeed
{
    private const int PageSize = 5;
    private static readonly string[] s_names = ["Linen apron", "Enamel mug", "Merino throw", "Oak serving board", "Beeswax candles", "Canvas tote"];
    private int _changeRound;

    /// <inheritdoc />
    public int PageCount => options.Value.Pages;

    /// <inheritdoc />
    public async Task<IReadOnlyList<CatalogueItem>> FetchPageAsync(int page, CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.SimulatedLatency, time, cancellationToken).ConfigureAwait(false);
        return [.. Enumerable.Range(page * PageSize, PageSize).Select(Item)];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<CatalogueItem>> FetchChangesAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(options.Value.SimulatedLatency, time, cancellationToken).ConfigureAwait(false);
        var round = Interlocked.Increment(ref _changeRound);
        return [Item(round % (PageCount * PageSize)) with { Stock = 10 + (round % 7) }];
    }

    private static CatalogueItem Item(int n) => new(
        string.Create(CultureInfo.InvariantCulture, $"HF-{n + 1:D4}"),
        string.Create(CultureInfo.InvariantCulture, $"{s_names[n % s_names.Length]} #{(n / s_names.Length) + 1}"),
        10m + (n % 9 * 5m),
        20 + (n % 11));
}
