using System.Globalization;
using System.Net.Mime;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware;

/// <summary>
/// The request handlers behind <c>MapMaintenanceEndpoints</c>. Plain <see cref="RequestDelegate"/>s over
/// <see cref="IMaintenanceModeService"/>: the body is read with source-generated JSON, every error is problem+json.
/// </summary>
internal static class MaintenanceEndpointHandlers
{
    /// <summary>The largest JSON body accepted, in bytes. A real request is a few hundred bytes; anything larger gets 413.</summary>
    internal const int MaxBodyBytes = 64 * 1024;

    private const int MaxActorLength = 200;
    private const string LoggerCategory = "MaintenanceMiddleware.Endpoints";

    public static Task GetStatusAsync(HttpContext context) => RunAsync(context, "status", static async (context, service) =>
    {
        var application = QueryValue(context, "app");
        var status = await service.GetStatusAsync(application, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(status, MaintenanceEndpointsJsonContext.Default.MaintenanceStatus);
    });

    public static Task GetAuditAsync(HttpContext context) => RunAsync(context, "audit", static async (context, service) =>
    {
        var application = QueryValue(context, "app");
        var limit = MaintenanceRules.DefaultAuditLimit;
        if (QueryValue(context, "limit") is { } text && !MaintenanceRules.TryParseAuditLimit(text, out limit, out var error))
        {
            throw new MaintenanceValidationException("limit", error);
        }

        var entries = await service.GetAuditTrailAsync(application, limit, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(entries, MaintenanceEndpointsJsonContext.Default.IReadOnlyListMaintenanceAuditEntry);
    });

    public static Task EnableAsync(HttpContext context) => RunAsync(context, "enable", static async (context, service) =>
    {
        var body = await ReadBodyAsync(context, MaintenanceEndpointsJsonContext.Default.EnableMaintenanceBody).ConfigureAwait(false);
        var wait = ParseWait(body.Wait);
        using var waiting = NotDraining(context, wait);
        await EnsureCanWaitAsync(service, wait, context.RequestAborted).ConfigureAwait(false);
        var mode = MaintenanceMode.Full;
        if (body.Mode is { } modeText && !MaintenanceRules.TryParseMode(modeText, out mode, out var modeError))
        {
            throw new MaintenanceValidationException("mode", modeError);
        }

        TimeSpan? duration = null;
        if (body.Duration is not null)
        {
            if (!MaintenanceDuration.TryParse(body.Duration, out var parsed, out var error))
            {
                throw new MaintenanceValidationException("duration", error);
            }

            duration = parsed;
        }

        var state = await service.EnableAsync(
            new EnableMaintenanceRequest
            {
                Application = body.Application ?? OwnApplication(context),
                Reason = body.Reason!,
                Message = body.Message,
                Mode = mode,
                StartsAt = body.StartsAt,
                EndsAt = body.EndsAt,
                Duration = duration,
                AllowedNetworks = body.AllowedNetworks ?? [],
                ExpectedVersion = body.ExpectedVersion,
                Actor = Actor(context),
            },
            context.RequestAborted).ConfigureAwait(false);
        return await AnswerAsync(context, service, state, wait).ConfigureAwait(false);
    });

    public static Task DisableAsync(HttpContext context) => RunAsync(context, "disable", static async (context, service) =>
    {
        var body = await ReadBodyAsync(context, MaintenanceEndpointsJsonContext.Default.DisableMaintenanceBody).ConfigureAwait(false);
        var wait = ParseWait(body.Wait);
        using var waiting = NotDraining(context, wait);
        await EnsureCanWaitAsync(service, wait, context.RequestAborted).ConfigureAwait(false);
        var state = await service.DisableAsync(
            new DisableMaintenanceRequest
            {
                Application = body.Application ?? OwnApplication(context),
                Reason = body.Reason!,
                ExpectedVersion = body.ExpectedVersion,
                Actor = Actor(context),
            },
            context.RequestAborted).ConfigureAwait(false);
        return await AnswerAsync(context, service, state, wait).ConfigureAwait(false);
    });

    public static Task GetInstancesAsync(HttpContext context) => RunAsync(context, "instances", static async (context, service) =>
    {
        var list = await service.GetInstancesAsync(QueryValue(context, "app"), context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(list, MaintenanceEndpointsJsonContext.Default.MaintenanceInstanceList);
    });

    // Without a wait: the stored state. With one: the state and the confirmation, 200 when every instance confirmed, 504 when not.
    private static async Task<IResult> AnswerAsync(HttpContext context, IMaintenanceModeService service, MaintenanceState state, TimeSpan? wait)
    {
        if (wait is not { } timeout)
        {
            return TypedResults.Json(state, MaintenanceEndpointsJsonContext.Default.MaintenanceState);
        }

        var confirmation = await service.WaitForInstancesAsync(state.Application, state.Version, timeout, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Json(
            new MaintenanceSwitchResult { State = state, Confirmation = confirmation },
            MaintenanceEndpointsJsonContext.Default.MaintenanceSwitchResult,
            statusCode: confirmation.Confirmed ? StatusCodes.Status200OK : StatusCodes.Status504GatewayTimeout);
    }

    // A switch that waits for this very instance to drain must not count itself as a request in flight from before.
    private static IDisposable? NotDraining(HttpContext context, TimeSpan? wait) =>
        wait is null ? null : context.RequestServices.GetService<RequestDrain>()?.NotDraining();

    // A wait that cannot be done (no registry, a schema without the instances table) fails before anything is switched.
    private static async Task EnsureCanWaitAsync(IMaintenanceModeService service, TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (wait is not null)
        {
            await service.GetInstancesAsync(null, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan? ParseWait(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!MaintenanceRules.TryRequireUnit(text, out var error) || !MaintenanceDuration.TryParse(text, out var wait, out error) || !MaintenanceRules.TryValidateWait(wait, out error))
        {
            throw new MaintenanceValidationException("wait", error);
        }

        return wait;
    }

    internal static async Task RunAsync(HttpContext context, string endpoint, Func<HttpContext, IMaintenanceModeService, Task<IResult>> handler)
    {
        var services = context.RequestServices;
        var service = services.GetRequiredService<IMaintenanceModeService>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
        IResult result;
        try
        {
            result = await handler(context, service).ConfigureAwait(false);
        }
        catch (MaintenanceValidationException ex)
        {
            MaintenanceLog.RequestInvalid(logger, ex.Field, ex.Message);
            result = TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [ex.Field] = [ex.Message] },
                detail: ex.Message,
                title: "The maintenance request is invalid; nothing changed.");
        }
        catch (MaintenanceConflictException ex)
        {
            result = TypedResults.Problem(
                detail: ex.Message,
                statusCode: StatusCodes.Status409Conflict,
                title: "The maintenance state was changed by someone else; nothing changed.");
        }
        catch (BadHttpRequestException ex)
        {
            // A body over the limit (ours or the server's), or a body the server could not read: the client's fault, never a 500.
            MaintenanceLog.RequestInvalid(logger, "body", ex.Message);
            result = TypedResults.Problem(
                detail: ex.Message,
                statusCode: ex.StatusCode,
                title: "The maintenance request body could not be read; nothing changed.");
        }
        catch (MaintenanceStoreException ex)
        {
            MaintenanceLog.EndpointStoreFailed(logger, endpoint, ex);
            context.Response.Headers.RetryAfter = "5";
            result = TypedResults.Problem(
                detail: "The maintenance state store is unavailable; nothing changed. Retry shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Maintenance state store unavailable.");
        }

        context.Response.Headers.CacheControl = "no-store";
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }

    internal static async Task<T> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            // Also a CSRF guard: a cross-site form cannot send application/json without a CORS preflight.
            throw new MaintenanceValidationException("body", $"Send a JSON body with 'Content-Type: {MediaTypeNames.Application.Json}'.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            throw BodyTooLarge();
        }

        // A chunked body has no Content-Length: the server stops it at the limit (Kestrel, IIS and HttpSys answer with a
        // 413 BadHttpRequestException). A server without that limit gets a buffer with the same limit
        // (FileBufferingReadStream throws "Buffer limit exceeded"), or, for a body already in memory, a look at its length.
        var limitedByServer = false;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = MaxBodyBytes;
            limitedByServer = true;
        }
        else
        {
            request.EnableBuffering(bufferThreshold: MaxBodyBytes, bufferLimit: MaxBodyBytes);
            if (request.Body.CanSeek && request.Body.Length - request.Body.Position > MaxBodyBytes)
            {
                throw BodyTooLarge();
            }
        }

        try
        {
            return await request.ReadFromJsonAsync(typeInfo, context.RequestAborted).ConfigureAwait(false)
                ?? throw new MaintenanceValidationException("body", "The JSON body is empty; send an object such as {\"reason\": \"Release 42\"}.");
        }
        catch (IOException ex) when (!limitedByServer && ex is not BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
        {
            throw BodyTooLarge();
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            throw new MaintenanceValidationException(field, $"The JSON body is malformed or has an unexpected field ({field}): {FirstLine(ex.Message)}");
        }
    }

    private static BadHttpRequestException BodyTooLarge() =>
        new($"The JSON body is larger than {MaxBodyBytes / 1024} KiB; a maintenance request is a small object such as {{\"reason\": \"Release 42\"}}.", StatusCodes.Status413PayloadTooLarge);

    private static string FirstLine(string message)
    {
        var end = message.IndexOf(". Path", StringComparison.Ordinal);
        return MaintenanceText.Sanitize(end > 0 ? message[..(end + 1)] : message);
    }

    internal static string? QueryValue(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    internal static string OwnApplication(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<MaintenanceModeOptions>>().Value.ApplicationName;

    /// <summary>Who asks: the authenticated user name (the API key name for the API-key scheme); from where: the client IP.</summary>
    internal static MaintenanceActor Actor(HttpContext context)
    {
        var identity = context.User.Identity;
        var name = identity is { IsAuthenticated: true } && !string.IsNullOrWhiteSpace(identity.Name)
            ? identity.Name
            : context.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "unknown";
        name = MaintenanceText.Sanitize(name);
        if (name.Length > MaxActorLength)
        {
            name = name[..MaxActorLength];
        }

        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true })
        {
            address = address.MapToIPv4();
        }

        return new MaintenanceActor(name, address?.ToString() ?? "unknown");
    }
}
