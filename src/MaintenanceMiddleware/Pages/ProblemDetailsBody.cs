using System.Buffers;
using System.Text.Json;

namespace MaintenanceMiddleware;

/// <summary>The <c>application/problem+json</c> body of the 503 (RFC 9457), built once per snapshot and second, not per request.</summary>
internal static class ProblemDetailsBody
{
    public const string ContentType = "application/problem+json";

    public static byte[] Render(string? reason, long retryAfterSeconds, DateTimeOffset? endsAt)
    {
        var buffer = new ArrayBufferWriter<byte>(256);

        // The default encoder escapes <, >, &, ' and ", so the reason is safe to show in HTML as well.
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4");
            json.WriteString("title", "Service Unavailable");
            json.WriteNumber("status", 503);
            json.WriteString("detail", string.IsNullOrWhiteSpace(reason) ? "The service is down for maintenance." : BuiltInMaintenancePage.Limit(reason));
            json.WriteNumber("retryAfter", retryAfterSeconds);
            if (endsAt is { } end)
            {
                json.WriteString("endsAt", end.ToUniversalTime());
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
