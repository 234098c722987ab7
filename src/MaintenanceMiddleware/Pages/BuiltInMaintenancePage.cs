using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace MaintenanceMiddleware;

/// <summary>
/// The page served when <c>index.html</c> is missing: plain, self-contained English HTML with no external resources. It shows
/// the public message when one is set (never the internal reason).
/// </summary>
internal static class BuiltInMaintenancePage
{
    /// <summary>The language of the built-in page, sent as <c>Content-Language</c>.</summary>
    public const string Language = "en";

    public static byte[] Render(string? message, DateTimeOffset? endsAt)
    {
        var html = HtmlEncoder.Default;
        var text = new StringBuilder(1024);
        text.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>Down for maintenance</title>
            <style>
            body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2933}
            main{max-width:34rem;margin:2rem;padding:2.5rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08)}
            h1{margin:0 0 1rem;font-size:1.6rem}
            p{line-height:1.5;margin:.5rem 0}
            .message{color:#52606d}
            </style>
            </head>
            <body>
            <main>
            <h1>We&rsquo;ll be back soon</h1>
            <p>This site is down for planned maintenance.</p>

            """);
        if (!string.IsNullOrWhiteSpace(message))
        {
            text.Append("<p class=\"message\">").Append(html.Encode(Limit(message))).Append("</p>\n");
        }

        if (endsAt is { } end)
        {
            text.Append("<p>Expected back by <time datetime=\"")
                .Append(end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
                .Append("\">")
                .Append(end.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                .Append(" UTC</time>.</p>\n");
        }
        else
        {
            text.Append("<p>Please try again in a few minutes.</p>\n");
        }

        text.Append("</main>\n</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Messages shown to visitors are cut to the length the service accepts.</summary>
    internal static string Limit(string message) =>
        message.Length > MaintenanceRules.MaxReasonLength ? message[..MaintenanceRules.MaxReasonLength] : message;
}
