using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace MaintenanceMiddleware;

/// <summary>
/// Decides from the <c>Accept</c> header whether the client prefers JSON over HTML, parsing it with the framework's
/// <see cref="MediaTypeHeaderValue"/> (quoted parameters, q-values) as <c>DefaultProblemDetailsWriter</c> does.
/// </summary>
/// <remarks>
/// Clients send a handful of distinct <c>Accept</c> strings, so decisions are remembered per string (bounded): a
/// repeated header costs one dictionary lookup and no allocation; an unseen one is parsed once.
/// </remarks>
internal static class ResponseNegotiation
{
    internal const int MaxRemembered = 256;

    private static readonly ConcurrentDictionary<string, bool> s_decisions = new(StringComparer.Ordinal);

    /// <summary>
    /// <see langword="true"/> when the client ranks <c>application/json</c>, <c>application/problem+json</c> (or another
    /// <c>application/*+json</c> type) above <c>text/html</c>, or asks for JSON and not for HTML at all. Equal rank: the
    /// type listed first wins. No <c>Accept</c> header, only wildcards, or a header that does not parse: HTML.
    /// </summary>
    public static bool PrefersJson(StringValues accept)
    {
        if (accept.Count != 1)
        {
            return accept.Count != 0 && Decide(accept);
        }

        var header = accept[0];
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        if (s_decisions.TryGetValue(header, out var json))
        {
            return json;
        }

        json = Decide(accept);
        if (s_decisions.Count < MaxRemembered)
        {
            s_decisions.TryAdd(header, json);
        }

        return json;
    }

    private static bool Decide(StringValues accept)
    {
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types))
        {
            return false;
        }

        double htmlQ = -1, jsonQ = -1;
        int htmlOrder = int.MaxValue, jsonOrder = int.MaxValue;
        for (var order = 0; order < types.Count; order++)
        {
            var type = types[order];
            var q = type.Quality ?? 1.0;
            if (IsHtml(type))
            {
                if (q > htmlQ)
                {
                    (htmlQ, htmlOrder) = (q, order);
                }
            }
            else if (IsJson(type) && q > jsonQ)
            {
                (jsonQ, jsonOrder) = (q, order);
            }
        }

        if (jsonQ <= 0)
        {
            return false;
        }

        return htmlQ <= 0 || jsonQ > htmlQ || (jsonQ == htmlQ && jsonOrder < htmlOrder);
    }

    private static bool IsHtml(MediaTypeHeaderValue type) =>
        type.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
        || type.MediaType.Equals("application/xhtml+xml", StringComparison.OrdinalIgnoreCase);

    private static bool IsJson(MediaTypeHeaderValue type) =>
        type.Type.Equals("application", StringComparison.OrdinalIgnoreCase)
        && (type.SubType.Equals("json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
