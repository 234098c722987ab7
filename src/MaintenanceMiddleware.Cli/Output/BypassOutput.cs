using System.Text;

namespace MaintenanceMiddleware.Cli.Output;

/// <summary>What <c>maintenance bypass</c> prints: the link's URL, the live links, a revocation.</summary>
internal static class BypassOutput
{
    /// <summary>The link to hand over: absolute when a base URL is given, else the path to append to the application's address.</summary>
    public static string Url(MaintenanceBypassLinkCreated created, Uri? baseUrl) =>
        baseUrl is null ? created.Path : baseUrl.AbsoluteUri.TrimEnd('/') + created.Path;

    public static string List(IReadOnlyList<MaintenanceBypassLink> links, DateTimeOffset now)
    {
        if (links.Count == 0)
        {
            return "No live bypass links.";
        }

        var text = new StringBuilder();
        foreach (var link in links)
        {
            text.Append(link.Id).Append("  ").Append(HumanOutput.Application(link.Application))
                .Append("  '").Append(MaintenanceText.Escape(link.Name)).Append("'  until ").Append(HumanOutput.Time(link.ExpiresAt))
                .Append(" (").Append(MaintenanceDuration.Format(link.ExpiresAt - now)).Append(" left)  by ").Append(MaintenanceText.Escape(link.CreatedBy))
                .Append(link.FirstUsedAt is { } used ? "  first used " + HumanOutput.Time(used) : "  never used")
                .AppendLine();
        }

        return text.ToString().TrimEnd();
    }

    public static string Revoked(MaintenanceBypassLink link) =>
        $"Bypass link {link.Id} ('{MaintenanceText.Escape(link.Name)}') revoked; it no longer opens {HumanOutput.Application(link.Application)}.";
}
