using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace MaintenanceMiddleware;

/// <summary>
/// A maintenance page split once, when the folder is loaded, into literal bytes and placeholders
/// (<c>{{message}}</c>, <c>{{ends_at}}</c>, <c>{{retry_after_seconds}}</c>, <c>{{application}}</c>; spaces inside the
/// braces allowed). Values are HTML-encoded. An unknown <c>{{name}}</c> is left as written and reported once, at load.
/// </summary>
internal sealed class MaintenancePageTemplate
{
    /// <summary>The placeholder names a page may use.</summary>
    public static readonly string[] Known = ["message", "ends_at", "retry_after_seconds", "application"];

    private const int MaxNameLength = 64;
    private static readonly HtmlEncoder s_encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly byte[] _source;
    private readonly (int Start, int Length, int Placeholder)[] _segments;

    private MaintenancePageTemplate(byte[] source, (int, int, int)[] segments, string[] unknown)
    {
        _source = source;
        _segments = segments;
        Unknown = unknown;
        UsesRetryAfter = segments.Any(static s => s.Item3 == 2);
        HasPlaceholders = segments.Any(static s => s.Item3 >= 0);
    }

    /// <summary>The unknown placeholder names, as written (each once).</summary>
    public IReadOnlyList<string> Unknown { get; }

    /// <summary>Whether the page shows <c>{{retry_after_seconds}}</c>, which changes every second when the end is known.</summary>
    public bool UsesRetryAfter { get; }

    /// <summary>Whether the page uses any known placeholder (otherwise it is served as read).</summary>
    public bool HasPlaceholders { get; }

    /// <summary>Splits <paramref name="page"/> (UTF-8 HTML) into literals and placeholders.</summary>
    public static MaintenancePageTemplate Parse(byte[] page)
    {
        var segments = new List<(int, int, int)>();
        var unknown = new List<string>();
        var span = page.AsSpan();
        int literalStart = 0, at = 0;
        while (at < span.Length - 3)
        {
            var open = span[at..].IndexOf("{{"u8);
            if (open < 0)
            {
                break;
            }

            open += at;
            var close = span[(open + 2)..].IndexOf("}}"u8);
            if (close < 0)
            {
                break;
            }

            close += open + 2;
            var name = Encoding.UTF8.GetString(span[(open + 2)..close]).Trim();
            if (!IsName(name))
            {
                at = open + 2;
                continue;
            }

            var index = Array.IndexOf(Known, name.ToLowerInvariant());
            if (index < 0)
            {
                if (!unknown.Contains(name, StringComparer.Ordinal))
                {
                    unknown.Add(name);
                }

                at = close + 2;
                continue;
            }

            segments.Add((literalStart, open - literalStart, -1));
            segments.Add((0, 0, index));
            literalStart = at = close + 2;
        }

        segments.Add((literalStart, span.Length - literalStart, -1));
        return new MaintenancePageTemplate(page, [.. segments], [.. unknown]);
    }

    /// <summary>The page with its placeholders filled from <paramref name="model"/>; the source bytes when it has none.</summary>
    public byte[] Render(in MaintenancePageModel model)
    {
        if (!HasPlaceholders)
        {
            return _source;
        }

        var buffer = new ArrayBufferWriter<byte>(_source.Length + 256);
        foreach (var (start, length, placeholder) in _segments)
        {
            if (placeholder < 0)
            {
                buffer.Write(_source.AsSpan(start, length));
                continue;
            }

            var value = placeholder switch
            {
                0 => model.Message ?? string.Empty,
                1 => model.EndsAt is { } end ? FormatInstant(end) : string.Empty,
                2 => model.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture),
                _ => model.Application,
            };
            var encoded = s_encoder.Encode(value);
            var bytes = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(encoded.Length));
            buffer.Advance(Encoding.UTF8.GetBytes(encoded, bytes));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An instant as ISO 8601 in UTC to the second, e.g. <c>2026-12-01T21:30:00Z</c>.</summary>
    public static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A placeholder name: a letter, then letters, digits, '_', '-' or '.'. Anything else between braces (a script's
    // object literal, a template of another engine with spaces or operators) is not a placeholder and is left alone.
    private static bool IsName(string name)
    {
        if (name.Length is 0 or > MaxNameLength || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
