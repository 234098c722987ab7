using System.Collections.Frozen;

namespace MaintenanceMiddleware;

/// <summary>
/// The maintenance folder as loaded into memory: <c>index.html</c> (or <see langword="null"/> when missing) and the
/// files beside it. Immutable; the page provider swaps a new instance when the folder changes.
/// </summary>
internal sealed class MaintenancePageContent
{
    public static readonly MaintenancePageContent Missing = new(null, FrozenDictionary<string, MaintenanceAsset>.Empty, 0);

    private readonly FrozenDictionary<string, MaintenanceAsset>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public MaintenancePageContent(byte[]? indexHtml, FrozenDictionary<string, MaintenanceAsset> assets, long fingerprint)
    {
        IndexHtml = indexHtml;
        Assets = assets;
        Fingerprint = fingerprint;
        _lookup = assets.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The bytes of <c>index.html</c>, or <see langword="null"/> when the file is missing (the built-in page is used).</summary>
    public byte[]? IndexHtml { get; }

    /// <summary>The files of the folder by relative path with '/' separators (<c>css/site.css</c>).</summary>
    public FrozenDictionary<string, MaintenanceAsset> Assets { get; }

    /// <summary>Names, sizes and write times of the files, hashed: a change means the folder must be reloaded.</summary>
    public long Fingerprint { get; }

    /// <summary>Finds a file by its relative path without allocating. Anything not loaded from the folder is not found.</summary>
    public bool TryGetAsset(ReadOnlySpan<char> relativePath, out MaintenanceAsset? asset) =>
        _lookup.TryGetValue(relativePath, out asset);
}
