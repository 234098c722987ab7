using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// <c>GET {prefix}/preview?app=&amp;culture=&amp;message=&amp;endsAt=</c>: the maintenance page (or problem+json, by
/// <c>Accept</c>) exactly as a visitor would get it for that state, rendered from the loaded folder without going down.
/// Answers 200 (not 503), so a designer's browser and tools treat it as a page; every other header is the visitor's.
/// </summary>
internal static class MaintenancePreviewHandler
{
    private const string LoggerCategory = "MaintenanceMiddleware.Endpoints";

    public static async Task PreviewAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var writer = services.GetRequiredService<MaintenanceResponseWriter>();
        var options = services.GetRequiredService<IOptions<MaintenanceModeOptions>>().Value;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        context.Response.Headers.CacheControl = "no-store";
        if (!TryRead(context, options, now, out var request, out var field, out var error))
        {
            MaintenanceLog.RequestInvalid(services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory), field, error);
            await TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [field] = [error] },
                detail: error,
                title: "The preview request is invalid.").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        var own = string.Equals(request.Application, options.ApplicationName, StringComparison.OrdinalIgnoreCase);
        using var other = own ? null : new MaintenancePageProvider(
            request.Folder,
            TimeProvider.System,
            services.GetRequiredService<ILogger<MaintenancePageProvider>>(),
            Timeout.InfiniteTimeSpan);
        var content = other?.Current ?? writer.Pages.Current;
        var seconds = request.EndsAt is { } end
            ? Math.Max(1, (long)Math.Ceiling((end - now).TotalSeconds))
            : services.GetRequiredService<MaintenanceStateMonitor>().Current.Options.RetryAfterSeconds;
        var model = new MaintenancePageModel(request.Application, request.Message ?? MaintenancePublicText.For(MaintenanceState.Off(request.Application), writer.DefaultMessage), request.EndsAt, seconds);
        if (request.Culture is not null)
        {
            context.Request.Headers.AcceptLanguage = request.Culture;
        }

        var entry = MaintenanceResponseWriter.Render(content, model);
        await writer.WriteAsync(context, StatusCodes.Status200OK, entry, ResponseNegotiation.PrefersJson(context.Request.Headers.Accept)).ConfigureAwait(false);
    }

    private static bool TryRead(HttpContext context, MaintenanceModeOptions options, DateTimeOffset now, out PreviewRequest request, out string field, out string error)
    {
        request = null!;
        var query = context.Request.Query;
        foreach (var name in (ReadOnlySpan<string>)["app", "culture", "message", "endsAt"])
        {
            if (query.TryGetValue(name, out var values) && values.Count > 1)
            {
                (field, error) = (name, $"'{name}' is given {values.Count} times; give it once.");
                return false;
            }
        }

        var application = Value(query, "app") ?? options.ApplicationName;
        field = "app";
        if (!MaintenanceRules.TryValidateApplication(application, allowAll: false, out error))
        {
            return false;
        }

        var environment = context.RequestServices.GetRequiredService<IHostEnvironment>();
        var folder = Path.GetFullPath(Path.Combine(options.PagesRoot, application, "maintenance"), Path.GetFullPath(environment.ContentRootPath));
        if (!string.Equals(application, options.ApplicationName, StringComparison.OrdinalIgnoreCase) && !Directory.Exists(folder))
        {
            error = $"This instance has no maintenance pages for '{application}' ({options.PagesRoot}/{application}/maintenance); preview it on an instance of '{application}', or leave 'app' out for '{options.ApplicationName}'.";
            return false;
        }

        string? culture = null;
        if (Value(query, "culture") is { } cultureText && (culture = LanguageNegotiation.CultureName(cultureText)) is null)
        {
            (field, error) = ("culture", $"'{MaintenanceText.Sanitize(cultureText)}' is not a culture name; use one such as 'de' or 'fr-CH'.");
            return false;
        }

        var message = Value(query, "message");
        if (!MaintenanceRules.TryValidateMessage(message, out error))
        {
            field = "message";
            return false;
        }

        DateTimeOffset? endsAt = null;
        if (Value(query, "endsAt") is { } endsText)
        {
            if (!DateTimeOffset.TryParse(endsText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                (field, error) = ("endsAt", $"'{MaintenanceText.Sanitize(endsText)}' is not a date and time; use ISO 8601 such as 2026-12-01T22:00:00Z.");
                return false;
            }

            if (parsed <= now)
            {
                (field, error) = ("endsAt", $"'{MaintenanceText.Sanitize(endsText)}' is in the past; visitors never see a window that has ended.");
                return false;
            }

            endsAt = parsed;
        }

        request = new PreviewRequest(application, folder, culture, message, endsAt);
        (field, error) = (string.Empty, string.Empty);
        return true;
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    private sealed record PreviewRequest(string Application, string Folder, string? Culture, string? Message, DateTimeOffset? EndsAt);
}
