using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MaintenanceMiddleware;

/// <summary>
/// Writes the maintenance response (503 with the page or problem+json) and the page's assets. Bodies and header
/// values are built once per snapshot, page version and <c>Retry-After</c> second, then reused by every request.
/// </summary>
internal sealed class MaintenanceResponseWriter
{
    internal const string HtmlContentType = "text/html; charset=utf-8";
    private const string NoStore = "no-store";
    private const string VaryAccept = "Accept";
    private const string NoSniff = "nosniff";

    private readonly MaintenancePageProvider _pages;
    private readonly TimeProvider _time;
    private volatile Entry? _entry;

    public MaintenanceResponseWriter(MaintenancePageProvider pages, TimeProvider timeProvider)
    {
        _pages = pages;
        _time = timeProvider;
    }

    /// <summary>Answers 503 with the page (or problem+json when <paramref name="json"/>); HEAD gets the headers only.</summary>
    public Task WriteMaintenanceAsync(HttpContext context, MaintenanceSnapshot snapshot, bool json)
    {
        var entry = GetEntry(snapshot);
        var body = json ? entry.Problem : entry.Html;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.ContentType = json ? ProblemDetailsBody.ContentType : HtmlContentType;
        var headers = response.Headers;

        // The length as a cached string: servers parse it without allocating, where formatting a long may allocate.
        headers[HeaderNames.ContentLength] = json ? entry.ProblemLength : entry.HtmlLength;
        headers.CacheControl = NoStore;
        headers.RetryAfter = entry.RetryAfter;
        headers.Vary = VaryAccept;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
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
            if (entry.Seconds == seconds)
            {
                return entry;
            }

            entry = new Entry(snapshot, content, seconds, entry.Html, ProblemDetailsBody.Render(snapshot.Effective.Reason, seconds, endsAt));
        }
        else
        {
            var html = content.IndexHtml ?? BuiltInMaintenancePage.Render(snapshot.Effective.Reason, endsAt);
            entry = new Entry(snapshot, content, seconds, html, ProblemDetailsBody.Render(snapshot.Effective.Reason, seconds, endsAt));
        }

        _entry = entry;
        return entry;
    }

    private long SecondsUntil(DateTimeOffset end)
    {
        var remaining = end - _time.GetUtcNow();
        return Math.Max(1, (remaining.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
    }

    private sealed class Entry(MaintenanceSnapshot snapshot, MaintenancePageContent content, long seconds, byte[] html, byte[] problem)
    {
        public MaintenanceSnapshot Snapshot { get; } = snapshot;

        public MaintenancePageContent Content { get; } = content;

        public long Seconds { get; } = seconds;

        public string RetryAfter { get; } = seconds.ToString(CultureInfo.InvariantCulture);

        public byte[] Html { get; } = html;

        public byte[] Problem { get; } = problem;

        public string HtmlLength { get; } = html.Length.ToString(CultureInfo.InvariantCulture);

        public string ProblemLength { get; } = problem.Length.ToString(CultureInfo.InvariantCulture);
    }
}
