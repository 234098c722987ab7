using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace MaintenanceMiddleware;

/// <summary>The <c>application/problem+json</c> body of the 503 (RFC 9457), built once per snapshot and second, not per request.</summary>
internal static class ProblemDetailsBody
{
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// The 503's <c>type</c>: the URI ASP.NET Core's problem details use for 503 (<c>TypedResults.Problem</c>, the
    /// maintenance endpoints), so every problem of an application is of one family.
    /// </summary>
    public const string Type = "https://tools.ietf.org/html/rfc9110#section-15.6.4";

    public const string Title = "Service Unavailable";

    public static byte[] Render(string? message, long retryAfterSeconds, DateTimeOffset? endsAt)
    {
        var buffer = new ArrayBufferWriter<byte>(256);

        // The default encoder escapes <, >, &, ' and ", so the message is safe to show in HTML as well.
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("title", Title);
            json.WriteNumber("status", 503);
            json.WriteString("detail", Detail(message));
            json.WriteNumber("retryAfter", retryAfterSeconds);
            if (endsAt is { } end)
            {
                json.WriteString("endsAt", end.ToUniversalTime());
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same problem as an object, for an application's <c>IProblemDetailsService</c> to customise and write.</summary>
    public static ProblemDetails Create(string? message, long retryAfterSeconds, DateTimeOffset? endsAt)
    {
        var problem = new ProblemDetails { Type = Type, Title = Title, Status = 503, Detail = Detail(message) };
        problem.Extensions["retryAfter"] = retryAfterSeconds;
        if (endsAt is { } end)
        {
            problem.Extensions["endsAt"] = end.ToUniversalTime();
        }

        return problem;
    }

    private static string Detail(string? message) =>
        string.IsNullOrWhiteSpace(message) ? MaintenancePublicText.Neutral : BuiltInMaintenancePage.Limit(message);
}
