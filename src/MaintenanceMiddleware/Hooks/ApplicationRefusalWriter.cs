using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware;

/// <summary>
/// Writes the answers of a refused operation: <c>409 Conflict</c> problem+json naming the target application, its
/// public message and expected end (never the internal reason), or <c>404</c> problem+json for a route value that
/// names no declared application.
/// </summary>
internal sealed class ApplicationRefusalWriter(MaintenanceApplicationGates gates, TimeProvider time, ILogger<ApplicationRefusalWriter> logger)
{
    private const string ProblemJson = "application/problem+json";

    public Task WriteRefusalAsync(HttpContext context, DisabledWhileInMaintenanceAttribute target)
    {
        var name = ApplicationMaintenanceMatcherPolicy.Target(target, context.Request.RouteValues) ?? string.Empty;
        var state = gates.Find(name)?.Current;
        var application = state?.Application ?? name;
        var endsAt = state?.Effective.EndsAt;
        MaintenanceLog.OperationRefused(logger, application, context.Request.Method, context.Request.Path.Value);

        var response = context.Response;
        response.StatusCode = StatusCodes.Status409Conflict;
        response.Headers.CacheControl = "no-store";
        var now = time.GetUtcNow();
        if (endsAt is { } end && end > now)
        {
            response.Headers.RetryAfter = ((long)Math.Ceiling((end - now).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return WriteAsync(context, StatusCodes.Status409Conflict, $"{application} is in maintenance", ApplicationNotice.PublicMessage(application, state?.Effective), application, endsAt);
    }

    public Task WriteUnknownAsync(HttpContext context, DisabledWhileInMaintenanceAttribute target)
    {
        var name = ApplicationMaintenanceMatcherPolicy.Target(target, context.Request.RouteValues) ?? string.Empty;
        var shown = MaintenanceText.Sanitize(name);
        MaintenanceLog.UnknownApplication(logger, shown, context.Request.Method, context.Request.Path.Value);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return WriteAsync(context, StatusCodes.Status404NotFound, "Unknown application", $"No application named '{shown}' is known here.", shown, endsAt: null);
    }

    private static async Task WriteAsync(HttpContext context, int status, string title, string detail, string application, DateTimeOffset? endsAt)
    {
        context.Response.ContentType = ProblemJson;
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("type", status == StatusCodes.Status409Conflict ? "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10" : "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5");
        json.WriteString("title", title);
        json.WriteNumber("status", status);
        json.WriteString("detail", detail);
        json.WriteString("application", application);
        if (endsAt is { } end)
        {
            json.WriteString("endsAt", end);
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
