using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace MaintenanceMiddleware;

/// <summary>
/// Picks the localized page for an <c>Accept-Language</c> header: languages by q-value (highest first, ties in the order
/// sent, <c>q=0</c> never), each tried as sent and then by its parents (<c>fr-CH</c>, then <c>fr</c>); none: the default page.
/// </summary>
internal static class LanguageNegotiation
{
    /// <summary>The index into <paramref name="pages"/>, or <c>-1</c> for the default page.</summary>
    public static int Select(MaintenanceLocalizedPage[] pages, StringValues acceptLanguage)
    {
        if (pages.Length == 0 || !StringWithQualityHeaderValue.TryParseList(acceptLanguage, out var languages))
        {
            return -1;
        }

        var ranked = languages
            .Select(static (l, order) => (Tag: l.Value.Value ?? string.Empty, Q: l.Quality ?? 1.0, order))
            .Where(static l => l.Q > 0 && !string.IsNullOrEmpty(l.Tag) && l.Tag != "*")
            .OrderByDescending(static l => l.Q)
            .ThenBy(static l => l.order);
        foreach (var (tag, _, _) in ranked)
        {
            for (var candidate = tag; candidate.Length > 0; candidate = Parent(candidate))
            {
                var index = Array.FindIndex(pages, p => string.Equals(p.Culture, candidate, StringComparison.OrdinalIgnoreCase));
                if (index >= 0)
                {
                    return index;
                }
            }
        }

        return -1;
    }

    /// <summary>
    /// The culture a folder name denotes, spelled as .NET does (<c>de</c>, <c>fr-CH</c>), or <see langword="null"/> when the
    /// name is not a predefined culture (<c>img</c>, <c>english</c>) or is the invariant culture.
    /// </summary>
    public static string? CultureName(string folder)
    {
        if (folder.Length is 0 or > 32 || !folder.All(static c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return null;
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(folder, predefinedOnly: true);
            return string.IsNullOrEmpty(culture.Name) || culture.ThreeLetterISOLanguageName.Length == 0 ? null : culture.Name;
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    private static string Parent(string tag)
    {
        var dash = tag.LastIndexOf('-');
        return dash > 0 ? tag[..dash] : string.Empty;
    }
}
