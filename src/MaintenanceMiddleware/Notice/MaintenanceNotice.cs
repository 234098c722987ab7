using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// The advance notice at <c>GET /_maintenance/notice</c>: the window in force, or the next one starting within
/// <see cref="MaintenanceModeOptions.NoticeLead"/>, as JSON (application, starts/ends, mode, public message, whether
/// this visitor is let through); <c>204</c> when nothing is planned. Anonymous and cacheable for 30 seconds.
/// <c>/_maintenance/notice.js</c> is the banner script that shows it.
/// </summary>
internal sealed class MaintenanceNotice
{
    public const string NoticePath = "/_maintenance/notice";
    public const string ScriptPath = "/_maintenance/notice.js";
    internal const string CacheControl = "public, max-age=30";
    private const string ScriptCacheControl = "public, max-age=300";

    private readonly MaintenanceStateMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lead;
    private readonly string? _defaultMessage;
    private volatile Planned? _planned;

    public MaintenanceNotice(MaintenanceStateMonitor monitor, TimeProvider timeProvider, IOptions<MaintenanceModeOptions> options)
    {
        _monitor = monitor;
        _time = timeProvider;
        _lead = options.Value.NoticeLead;
        _defaultMessage = options.Value.DefaultMessage;
    }

    /// <summary>Answers <paramref name="context"/> when it asks for the notice or the script (GET or HEAD); otherwise <see langword="false"/>.</summary>
    public bool TryHandle(HttpContext context, out Task task)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            if (request.Path.Equals(NoticePath, StringComparison.OrdinalIgnoreCase))
            {
                task = WriteNoticeAsync(context);
                return true;
            }

            if (request.Path.Equals(ScriptPath, StringComparison.OrdinalIgnoreCase))
            {
                task = WriteScriptAsync(context);
                return true;
            }
        }

        task = Task.CompletedTask;
        return false;
    }

    /// <summary>Writes the notice for the current snapshot and this visitor.</summary>
    public Task WriteNoticeAsync(HttpContext context)
    {
        var snapshot = _monitor.Current;
        var response = context.Response;
        response.Headers.CacheControl = CacheControl;
        if (Find(snapshot, _time.GetUtcNow()) is not { } notice)
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }

        var body = Render(snapshot, notice.Window, notice.InForce, MaintenanceVisitor.IsLetThrough(context, snapshot, notice.AllowList));
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>Writes the banner script.</summary>
    public static Task WriteScriptAsync(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/javascript; charset=utf-8";
        response.ContentLength = MaintenanceNoticeScript.Bytes.Length;
        response.Headers.CacheControl = ScriptCacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(MaintenanceNoticeScript.Bytes).AsTask();
    }

    /// <summary>
    /// The window to announce at <paramref name="now"/>: the one in force, else the earliest enabled window of this
    /// application or of the whole environment that starts within the lead; <see langword="null"/> when none.
    /// </summary>
    internal (MaintenanceState Window, bool InForce, IpAllowList AllowList)? Find(MaintenanceSnapshot snapshot, DateTimeOffset now)
    {
        if (snapshot.IsActive)
        {
            return (snapshot.Effective, true, snapshot.AllowList);
        }

        MaintenanceState? next = null;
        foreach (var state in (ReadOnlySpan<MaintenanceState>)[snapshot.Own, snapshot.Environment])
        {
            if (state.Enabled && state.StartsAt is { } start && start > now && start - now <= _lead
                && (state.EndsAt is null || state.EndsAt > start) && (next is null || start < next.StartsAt))
            {
                next = state;
            }
        }

        if (next is null)
        {
            return null;
        }

        var planned = _planned;
        if (planned is null || !ReferenceEquals(planned.Window, next) || !ReferenceEquals(planned.Options, snapshot.Options))
        {
            _planned = planned = new Planned(next, snapshot.Options, snapshot.Options.AllowList.Combine(ParseLenient(next.AllowedNetworks)));
        }

        return (next, false, planned.AllowList);
    }

    private byte[] Render(MaintenanceSnapshot snapshot, MaintenanceState window, bool inForce, bool letThrough)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("application", snapshot.Application);
            json.WriteBoolean("inForce", inForce);
            WriteInstant(json, "startsAt", window.StartsAt);
            WriteInstant(json, "endsAt", window.EndsAt);
            json.WriteString("mode", window.Mode == MaintenanceMode.ReadOnly ? "ReadOnly" : "Full");
            if (MaintenancePublicText.For(window, _defaultMessage) is { } message)
            {
                json.WriteString("message", message);
            }
            else
            {
                json.WriteNull("message");
            }

            json.WriteBoolean("letThrough", letThrough);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteInstant(Utf8JsonWriter json, string name, DateTimeOffset? instant)
    {
        if (instant is { } value)
        {
            json.WriteString(name, MaintenancePageTemplate.FormatInstant(value));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static IpAllowList ParseLenient(IReadOnlyList<string> entries)
    {
        try
        {
            return entries.Count == 0 ? IpAllowList.Empty : IpAllowList.Parse(entries, "state");
        }
        catch (FormatException)
        {
            return IpAllowList.Empty;
        }
    }

    private sealed record Planned(MaintenanceState Window, ReloadableMaintenanceOptions Options, IpAllowList AllowList);
}
