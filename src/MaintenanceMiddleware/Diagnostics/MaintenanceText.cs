using System.Globalization;

namespace MaintenanceMiddleware;

/// <summary>
/// The one rule for characters that must never reach a log, a terminal or a page unescaped: control characters (Cc),
/// format characters such as the bidi override U+202E (Cf), and the line and paragraph separators U+2028/U+2029
/// (Zl, Zp). Reasons refuse them; everything echoed in a message is sanitized with them replaced.
/// </summary>
internal static class MaintenanceText
{
    /// <summary>The longest piece of user input echoed in a message; the rest is cut and marked with "...".</summary>
    public const int MaxEchoLength = 80;

    /// <summary>Whether <paramref name="c"/> is refused in text: control, format, line- or paragraph-separator characters.</summary>
    public static bool IsRefused(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>What kind of refused character <paramref name="c"/> is, for a message: "a control character", ...</summary>
    public static string Describe(char c) => CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Format => "a format character (such as a bidi override)",
        UnicodeCategory.LineSeparator => "a line separator",
        UnicodeCategory.ParagraphSeparator => "a paragraph separator",
        _ => "a control character",
    };

    /// <summary>The index of the first refused character in <paramref name="text"/>, or -1.</summary>
    public static int IndexOfRefused(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsRefused(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// <paramref name="value"/> with each refused character written as <c>\uXXXX</c>, for printing text that was stored
    /// before the rule (or by another writer) on a terminal: a bidi override never reorders what follows it.
    /// </summary>
    public static string Escape(string value)
    {
        if (IndexOfRefused(value) < 0)
        {
            return value;
        }

        var text = new System.Text.StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = IsRefused(c) ? text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>Shortens user input and replaces refused characters with '?' before it is echoed in an error message.</summary>
    public static string Sanitize(string value)
    {
        var shortened = value.Length > MaxEchoLength ? value[..MaxEchoLength] + "..." : value;
        return string.Create(shortened.Length, shortened, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = IsRefused(s[i]) ? '?' : s[i];
            }
        });
    }
}
