using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;

namespace MaintenanceMiddleware;

/// <summary>
/// The maintenance folder as loaded into memory: <c>index.html</c> (or <see langword="null"/> when missing), the
/// localized pages (<c>&lt;culture&gt;/index.html</c>) and the files beside them. Immutable; the page provider swaps a new
/// instance when the folder changes.
/// </summary>
internal sealed class MaintenancePageContent
{
    public static readonly MaintenancePageContent Missing = new(null, FrozenDictionary<string, MaintenanceAsset>.Empty, 0);

    private readonly FrozenDictionary<string, MaintenanceAsset>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly ConcurrentDictionary<string, int> _languages = new(StringComparer.Ordinal);

    public MaintenancePageContent(byte[]? indexHtml, FrozenDictionary<string, MaintenanceAsset> assets, long fingerprint)
        : this(indexHtml, assets, fingerprint, [], null)
    {
    }

    public MaintenancePageContent(byte[]? indexHtml, FrozenDictionary<string, MaintenanceAsset> assets, long fingerprint, MaintenanceLocalizedPage[] localized, string? defaultLanguage)
    {
        IndexHtml = indexHtml;
        Template = indexHtml is null ? null : MaintenancePageTemplate.Parse(indexHtml);
        Assets = assets;
        Fingerprint = fingerprint;
        Localized = localized;
        DefaultLanguage = defaultLanguage;
        _lookup = assets.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The bytes of <c>index.html</c>, or <see langword="null"/> when the file is missing (the built-in page is used).</summary>
    public byte[]? IndexHtml { get; }

    /// <summary><c>index.html</c> split into literals and placeholders, or <see langword="null"/> when it is missing.</summary>
    public MaintenancePageTemplate? Template { get; }

    /// <summary>The localized pages, by culture, in the order of the folder names.</summary>
    public MaintenanceLocalizedPage[] Localized { get; }

    /// <summary>The language of <c>index.html</c> (its <c>&lt;html lang&gt;</c> when that names a culture), or <see langword="null"/>.</summary>
    public string? DefaultLanguage { get; }

    /// <summary>The files of the folder by relative path with '/' separators (<c>css/site.css</c>).</summary>
    public FrozenDictionary<string, MaintenanceAsset> Assets { get; }

    /// <summary>Names, sizes and write times of the files, hashed: a change means the folder must be reloaded.</summary>
    public long Fingerprint { get; }

    /// <summary>Finds a file by its relative path without allocating. Anything not loaded from the folder is not found.</summary>
    public bool TryGetAsset(ReadOnlySpan<char> relativePath, out MaintenanceAsset? asset) =>
        _lookup.TryGetValue(relativePath, out asset);

    /// <summary>
    /// The index into <see cref="Localized"/> of the page for <paramref name="acceptLanguage"/>, or <c>-1</c> for the default
    /// page. Decided once per distinct header string (bounded), so a repeated header costs one lookup and no allocation.
    /// </summary>
    public int SelectLanguage(StringValues acceptLanguage)
    {
        if (Localized.Length == 0 || acceptLanguage.Count == 0)
        {
            return -1;
        }

        if (acceptLanguage.Count > 1)
        {
            return LanguageNegotiation.Select(Localized, acceptLanguage);
        }

        var header = acceptLanguage[0];
        if (string.IsNullOrEmpty(header))
        {
            return -1;
        }

        if (_languages.TryGetValue(header, out var index))
        {
            return index;
        }

        index = LanguageNegotiation.Select(Localized, acceptLanguage);
        if (_languages.Count < ResponseNegotiation.MaxRemembered)
        {
            _languages.TryAdd(header, index);
        }

        return index;
    }
}
