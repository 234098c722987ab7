using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Finds the localized pages among the loaded files (<c>&lt;culture&gt;/index.html</c>, one level down) and reports what a
/// designer should fix: a folder with an <c>index.html</c> whose name is not a culture, and unknown placeholders.
/// </summary>
internal static partial class LocalizedPageLoader
{
    private const string IndexSuffix = "/" + MaintenancePageProvider.IndexFileName;

    /// <summary>The localized pages among <paramref name="assets"/>, ordered by culture name.</summary>
    public static MaintenanceLocalizedPage[] Find(IReadOnlyDictionary<string, MaintenanceAsset> assets, ILogger logger)
    {
        var pages = new List<MaintenanceLocalizedPage>();
        foreach (var (relative, asset) in assets.OrderBy(static a => a.Key, StringComparer.Ordinal))
        {
            if (!relative.EndsWith(IndexSuffix, StringComparison.Ordinal) || relative.IndexOf('/') != relative.Length - IndexSuffix.Length)
            {
                continue;
            }

            var folder = relative[..^IndexSuffix.Length];
            if (LanguageNegotiation.CultureName(folder) is not { } culture)
            {
                MaintenanceLog.NotACulture(logger, folder);
                continue;
            }

            if (asset.Content.AsSpan().Trim(" \t\r\n"u8).IsEmpty || pages.Exists(p => string.Equals(p.Culture, culture, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            pages.Add(new MaintenanceLocalizedPage(culture, MaintenancePageTemplate.Parse(asset.Content)));
        }

        if (pages.Count > 0)
        {
            MaintenanceLog.LocalizedPagesLoaded(logger, string.Join(", ", pages.Select(static p => p.Culture)));
        }

        return [.. pages];
    }

    /// <summary>The culture named by the page's <c>&lt;html lang="..."&gt;</c>, or <see langword="null"/>.</summary>
    public static string? LanguageOf(byte[]? page)
    {
        if (page is null)
        {
            return null;
        }

        var head = Encoding.UTF8.GetString(page.AsSpan(0, Math.Min(page.Length, 4096)));
        return HtmlLang().Match(head) is { Success: true } match ? LanguageNegotiation.CultureName(match.Groups[1].Value) : null;
    }

    /// <summary>Logs every unknown placeholder of the pages just loaded (once per load, that is once per page version).</summary>
    public static void ReportUnknownPlaceholders(MaintenancePageContent content, ILogger logger)
    {
        foreach (var name in content.Template?.Unknown ?? [])
        {
            MaintenanceLog.UnknownPlaceholder(logger, MaintenancePageProvider.IndexFileName, "{{" + name + "}}");
        }

        foreach (var page in content.Localized)
        {
            foreach (var name in page.Template.Unknown)
            {
                MaintenanceLog.UnknownPlaceholder(logger, page.Culture + IndexSuffix, "{{" + name + "}}");
            }
        }
    }

    [GeneratedRegex("""<html\b[^>]*\blang\s*=\s*["']?([A-Za-z0-9-]{1,32})""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HtmlLang();
}
