using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace MaintenanceMiddleware;

/// <summary>
/// Writes the maintenance response (503 with the page or problem+json) and the page's assets. Bodies and header
/// values are rendered once per snapshot, page version and <c>Retry-After</c> second, then reused by every request:
/// the page path allocates nothing. Pages are chosen by <c>Accept-Language</c>; problem+json stays English and goes
/// through the application's <see cref="IProblemDetailsService"/> when it registered one (<c>AddProblemDetails</c>).
/// </summary>
internal sealed class MaintenanceResponseWriter
{
    internal const string HtmlContentType = "text/html; charset=utf-8";
    internal const string VaryAcceptAndLanguage = "Accept, Accept-Language";
    private const string NoStore = "no-store";
    private const string NoSniff = "nosniff";

    private readonly MaintenancePageProvider _pages;
    private readonly TimeProvider _time;
    private readonly string? _defaultMessage;
    private readonly IProblemDetailsService? _problemDetails;
    private volatile Entry? _entry;

    public MaintenanceResponseWriter(MaintenancePageProvider pages, TimeProvider timeProvider, IOptions<MaintenanceModeOptions> options, IServiceProvider services)
    {
        _pages = pages;
        _time = timeProvider;
        _defaultMessage = options.Value.DefaultMessage;
        _problemDetails = services.GetService<IProblemDetailsService>();
    }

    /// <summary>The public message (<c>MaintenanceMode:DefaultMessage</c>) used when a window sets none.</summary>
    public string? DefaultMessage => _defaultMessage;

    /// <summary>The pages loaded for this application.</summary>
    public MaintenancePageProvider Pages => _pages;

    /// <summary>Answers 503 with the page (or problem+json when <paramref name="json"/>); HEAD gets the headers only.</summary>
    public Task WriteMaintenanceAsync(HttpContext context, MaintenanceSnapshot snapshot, bool json) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, GetEntry(snapshot), json);

    /// <summary>Writes <paramref name="entry"/>'s page for the request's language, or its problem, with <paramref name="status"/>.</summary>
    internal Task WriteAsync(HttpContext context, int status, Entry entry, bool json)
    {
        var response = context.Response;
        response.StatusCode = status;
        var headers = response.Headers;
        headers.CacheControl = NoStore;
        headers.RetryAfter = entry.RetryAfter;
        headers.Vary = VaryAcceptAndLanguage;
        if (json)
        {
            headers.ContentLanguage = BuiltInMaintenancePage.Language;
            if (_problemDetails is not null)
            {
                return WriteThroughServiceAsync(context, entry);
            }

            response.ContentType = ProblemDetailsBody.ContentType;
            headers[HeaderNames.ContentLength] = entry.ProblemLength;
            return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(entry.Problem).AsTask();
        }

        var page = entry.Pages[entry.Content.SelectLanguage(context.Request.Headers.AcceptLanguage) + 1];
        response.ContentType = HtmlContentType;
        if (page.Language is not null)
        {
            headers.ContentLanguage = page.Language;
        }

        // The length as a cached string: servers parse it without allocating, where formatting a long may allocate.
        headers[HeaderNames.ContentLength] = page.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(page.Html).AsTask();
    }

    /// <summary>Answers with a file of the maintenance folder, or 404 when <paramref name="relativePath"/> names none.</summary>
    public Task WriteAssetAsync(HttpContext context, ReadOnlySpan<char> relativePath)
    {
        var response = context.Response;
        response.Headers.CacheControl = NoStore;
        if (!_pages.Current.TryGetAsset(relativePath, out var asset) || asset is null)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentLength = 0;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.Headers[HeaderNames.ContentLength] = asset.ContentLength;
        response.Headers.XContentTypeOptions = NoSniff;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content).AsTask();
    }

    /// <summary>Renders every page of <paramref name="content"/> and the problem for <paramref name="model"/> (not cached).</summary>
    internal static Entry Render(MaintenancePageContent content, in MaintenancePageModel model, object? snapshot = null, Entry? previous = null)
    {
        var pages = new RenderedPage[content.Localized.Length + 1];
        pages[0] = previous is not null && content.Template is not { UsesRetryAfter: true }
            ? previous.Pages[0]
            : new RenderedPage(content.Template?.Render(model) ?? BuiltInMaintenancePage.Render(model.Message, model.EndsAt), content.Template is null ? BuiltInMaintenancePage.Language : content.DefaultLanguage);
        for (var i = 0; i < content.Localized.Length; i++)
        {
            var page = content.Localized[i];
            pages[i + 1] = previous is not null && !page.Template.UsesRetryAfter ? previous.Pages[i + 1] : new RenderedPage(page.Template.Render(model), page.Culture);
        }

        return new Entry(snapshot, content, model, pages, ProblemDetailsBody.Render(model.Message, model.RetryAfterSeconds, model.EndsAt));
    }

    private Task WriteThroughServiceAsync(HttpContext context, Entry entry)
    {
        var model = entry.Model;
        var problem = ProblemDetailsBody.Create(model.Message, model.RetryAfterSeconds, model.EndsAt);
        return WriteThroughServiceCoreAsync(context, entry, problem);
    }

    private async Task WriteThroughServiceCoreAsync(HttpContext context, Entry entry, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (await _problemDetails!.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            return;
        }

        // No writer took it (an Accept it cannot serve): the cached body, as without the service.
        context.Response.ContentType = ProblemDetailsBody.ContentType;
        context.Response.Headers[HeaderNames.ContentLength] = entry.ProblemLength;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(entry.Problem, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private Entry GetEntry(MaintenanceSnapshot snapshot)
    {
        var content = _pages.Current;
        var endsAt = snapshot.Effective.EndsAt;

        // Only a known end needs the clock; this is the cold path (maintenance is on). The default follows
        // MaintenanceMode:RetryAfter through the snapshot, so an edit applies with the next snapshot.
        var seconds = endsAt is { } end ? SecondsUntil(end) : snapshot.Options.RetryAfterSeconds;
        var entry = _entry;
        if (entry is not null && ReferenceEquals(entry.Snapshot, snapshot) && ReferenceEquals(entry.Content, content))
        {
            if (entry.Model.RetryAfterSeconds == seconds)
            {
                return entry;
            }

            entry = Render(content, entry.Model with { RetryAfterSeconds = seconds }, snapshot, entry);
        }
        else
        {
            var model = new MaintenancePageModel(snapshot.Application, MaintenancePublicText.For(snapshot.Effective, _defaultMessage), endsAt, seconds);
            entry = Render(content, model, snapshot);
        }

        _entry = entry;
        return entry;
    }

    private long SecondsUntil(DateTimeOffset end)
    {
        var remaining = end - _time.GetUtcNow();
        return Math.Max(1, (remaining.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
    }

    /// <summary>One rendered page: its bytes, the <c>Content-Length</c> value and the <c>Content-Language</c> (or none).</summary>
    internal sealed class RenderedPage(byte[] html, string? language)
    {
        public byte[] Html { get; } = html;

        public string Length { get; } = html.Length.ToString(CultureInfo.InvariantCulture);

        public string? Language { get; } = language;
    }

    /// <summary>Everything one state renders to: the pages (default first, then by culture) and the problem.</summary>
    internal sealed class Entry(object? snapshot, MaintenancePageContent content, MaintenancePageModel model, RenderedPage[] pages, byte[] problem)
    {
        public object? Snapshot { get; } = snapshot;

        public MaintenancePageContent Content { get; } = content;

        public MaintenancePageModel Model { get; } = model;

        public string RetryAfter { get; } = model.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

        public RenderedPage[] Pages { get; } = pages;

        public byte[] Problem { get; } = problem;

        public string ProblemLength { get; } = problem.Length.ToString(CultureInfo.InvariantCulture);
    }
}
