using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// Answers a gRPC call (<c>Content-Type: application/grpc*</c>) during maintenance the way gRPC clients understand:
/// a trailers-only response, HTTP 200 with <c>grpc-status: 14</c> (UNAVAILABLE), <c>grpc-message</c> (the public
/// message, percent-encoded as the gRPC HTTP/2 protocol asks) and <c>grpc-retry-pushback-ms</c>, never an HTML body.
/// The encoded message is built once per snapshot and reused.
/// </summary>
internal sealed class GrpcMaintenanceWriter
{
    internal const string UnavailableStatus = "14";
    private const string GrpcContentType = "application/grpc";

    private readonly TimeProvider _time;
    private readonly string? _defaultMessage;
    private volatile Entry? _entry;

    public GrpcMaintenanceWriter(TimeProvider timeProvider, IOptions<MaintenanceModeOptions> options)
    {
        _time = timeProvider;
        _defaultMessage = options.Value.DefaultMessage;
    }

    /// <summary>Whether the request is a gRPC call (<c>application/grpc</c>, <c>application/grpc+proto</c>, <c>application/grpc-web</c>, ...).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith(GrpcContentType, StringComparison.OrdinalIgnoreCase);

    public Task WriteAsync(HttpContext context, MaintenanceSnapshot snapshot)
    {
        var entry = _entry;
        if (entry is null || !ReferenceEquals(entry.Snapshot, snapshot))
        {
            entry = new Entry(snapshot, PercentEncode(MaintenancePublicText.For(snapshot.Effective, _defaultMessage) ?? MaintenancePublicText.Neutral));
            _entry = entry;
        }

        var seconds = snapshot.Effective.EndsAt is { } end
            ? Math.Max(1, (long)Math.Ceiling((end - _time.GetUtcNow()).TotalSeconds))
            : snapshot.Options.RetryAfterSeconds;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;

        // Keep the caller's subtype (application/grpc-web answers as grpc-web); the status travels in the headers
        // (a "trailers-only" response), which every gRPC client reads when the body is empty.
        response.ContentType = context.Request.ContentType;
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers["grpc-status"] = UnavailableStatus;
        headers["grpc-message"] = entry.EncodedMessage;
        headers["grpc-retry-pushback-ms"] = (seconds * 1000).ToString(CultureInfo.InvariantCulture);
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Percent-encodes <paramref name="message"/> as <c>grpc-message</c> requires: UTF-8, every byte outside printable
    /// ASCII (0x20-0x7E) and <c>%</c> itself as <c>%XX</c>.
    /// </summary>
    internal static string PercentEncode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private sealed class Entry(MaintenanceSnapshot snapshot, string encodedMessage)
    {
        public MaintenanceSnapshot Snapshot { get; } = snapshot;

        public string EncodedMessage { get; } = encodedMessage;
    }
}
