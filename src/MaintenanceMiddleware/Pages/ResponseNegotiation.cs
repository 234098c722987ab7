namespace MaintenanceMiddleware;

/// <summary>Decides from the <c>Accept</c> header whether the client prefers JSON over HTML. Allocation-free.</summary>
internal static class ResponseNegotiation
{
    /// <summary>
    /// <see langword="true"/> when the client ranks <c>application/json</c>, <c>application/problem+json</c> (or another
    /// <c>+json</c> type) above <c>text/html</c>, or asks for JSON and not for HTML at all. Equal rank: the type listed first wins.
    /// No <c>Accept</c> header, or only wildcards: HTML.
    /// </summary>
    public static bool PrefersJson(ReadOnlySpan<char> accept)
    {
        double htmlQ = -1, jsonQ = -1;
        int htmlOrder = int.MaxValue, jsonOrder = int.MaxValue, order = 0;
        while (!accept.IsEmpty)
        {
            var comma = accept.IndexOf(',');
            var item = comma < 0 ? accept : accept[..comma];
            accept = comma < 0 ? default : accept[(comma + 1)..];

            var semicolon = item.IndexOf(';');
            var type = (semicolon < 0 ? item : item[..semicolon]).Trim();
            var q = semicolon < 0 ? 1.0 : ParseQuality(item[(semicolon + 1)..]);
            order++;

            if (IsHtml(type))
            {
                if (q > htmlQ)
                {
                    htmlQ = q;
                    htmlOrder = order;
                }
            }
            else if (IsJson(type) && q > jsonQ)
            {
                jsonQ = q;
                jsonOrder = order;
            }
        }

        if (jsonQ <= 0)
        {
            return false;
        }

        return htmlQ <= 0 || jsonQ > htmlQ || (jsonQ == htmlQ && jsonOrder < htmlOrder);
    }

    private static bool IsHtml(ReadOnlySpan<char> type) =>
        type.Equals("text/html", StringComparison.OrdinalIgnoreCase) || type.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(ReadOnlySpan<char> type) =>
        type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static double ParseQuality(ReadOnlySpan<char> parameters)
    {
        while (!parameters.IsEmpty)
        {
            var semicolon = parameters.IndexOf(';');
            var parameter = (semicolon < 0 ? parameters : parameters[..semicolon]).Trim();
            parameters = semicolon < 0 ? default : parameters[(semicolon + 1)..];
            if (parameter.Length > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=')
            {
                return double.TryParse(parameter[2..], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q)
                    ? Math.Clamp(q, 0, 1)
                    : 0;
            }
        }

        return 1.0;
    }
}
