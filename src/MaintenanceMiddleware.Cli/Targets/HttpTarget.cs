using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>
/// Switches maintenance through a running app's endpoints (<c>app.MapMaintenanceEndpoints("/_maintenance")</c>),
/// authenticated with an API key. <c>--url</c> is the endpoints' base, e.g. <c>https://backoffice.example.com/_maintenance</c>.
/// </summary>
internal sealed class HttpTarget : IMaintenanceTarget
{
    private readonly HttpClient _client;

    public HttpTarget(Uri baseUrl, string apiKey, HttpMessageHandler? handler = null)
    {
        var normalized = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _client.BaseAddress = normalized;
        _client.Timeout = TimeSpan.FromSeconds(30);
        _client.DefaultRequestHeaders.Add(MaintenanceApiKeyDefaults.HeaderName, apiKey);
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("maintenance-cli/1.0");
        Description = $"endpoints at {normalized}";
    }

    public string Description { get; }

    public Task<MaintenanceStatus> GetStatusAsync(string application, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"status?app={Uri.EscapeDataString(application)}", null, CliJsonContext.Default.MaintenanceStatus, cancellationToken);

    public Task<MaintenanceState> EnableAsync(EnableMaintenanceRequest request, CancellationToken cancellationToken)
    {
        var body = new HttpEnableBody
        {
            Application = request.Application,
            Reason = request.Reason,
            Mode = request.Mode == MaintenanceMode.Full ? null : request.Mode.ToString(),
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            Duration = request.Duration is { } d ? d.ToString("c", CultureInfo.InvariantCulture) : null,
            AllowedNetworks = request.AllowedNetworks.Count == 0 ? null : request.AllowedNetworks,
        };
        return SendAsync(HttpMethod.Post, "enable", JsonContent.Create(body, CliJsonContext.Default.HttpEnableBody), CliJsonContext.Default.MaintenanceState, cancellationToken);
    }

    public Task<MaintenanceState> DisableAsync(DisableMaintenanceRequest request, CancellationToken cancellationToken)
    {
        var body = new HttpDisableBody { Application = request.Application, Reason = request.Reason };
        return SendAsync(HttpMethod.Post, "disable", JsonContent.Create(body, CliJsonContext.Default.HttpDisableBody), CliJsonContext.Default.MaintenanceState, cancellationToken);
    }

    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application, int limit, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"audit?limit={limit}");
        if (application is not null)
        {
            query += "&app=" + Uri.EscapeDataString(application);
        }

        return SendAsync(HttpMethod.Get, query, null, CliJsonContext.Default.IReadOnlyListMaintenanceAuditEntry, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string relative, HttpContent? content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, relative) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw CliException.Failed($"Could not reach the {Description}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw CliException.Failed($"The {Description} did not answer within {_client.Timeout.TotalSeconds:0} s.", ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false)
                        ?? throw CliException.Failed($"The {Description} answered {(int)response.StatusCode} with an empty body.");
                }
                catch (JsonException ex)
                {
                    throw CliException.Failed($"The {Description} answered {(int)response.StatusCode} with a body that is not maintenance JSON; is --url the maintenance endpoints' base (e.g. https://host/_maintenance)?", ex);
                }
            }

            var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
            throw response.StatusCode switch
            {
                HttpStatusCode.BadRequest => CliException.Usage(problem ?? "The request was refused as invalid (400)."),
                HttpStatusCode.Unauthorized => CliException.Failed("The API key was refused (401 Unauthorized): check --api-key or MAINTENANCE_API_KEY."),
                HttpStatusCode.Forbidden => CliException.Failed("The API key is valid but not allowed to do this (403 Forbidden)."),
                HttpStatusCode.NotFound => CliException.Failed($"No maintenance endpoint at {response.RequestMessage?.RequestUri} (404); is --url the maintenance endpoints' base (e.g. https://host/_maintenance)?"),
                HttpStatusCode.Conflict => CliException.Failed(problem ?? "Someone else changed the state first (409); nothing changed."),
                _ => CliException.Failed($"The {Description} answered {(int)response.StatusCode} {response.ReasonPhrase}{(problem is null ? "." : ": " + problem)}"),
            };
        }
    }

    private static async Task<string?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        try
        {
            var problem = await response.Content.ReadFromJsonAsync(CliJsonContext.Default.HttpProblem, cancellationToken).ConfigureAwait(false);
            if (problem?.Errors is { Count: > 0 } errors)
            {
                return string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
            }

            return problem?.Detail ?? problem?.Title;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
