using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MaintenanceMiddleware.Cli.Commands;

namespace MaintenanceMiddleware.Cli.Targets;

/// <summary>
/// Switches maintenance through a running app's endpoints (<c>app.MapMaintenanceEndpoints("/_maintenance")</c>),
/// authenticated with an API key. <c>--url</c> is the endpoints' base, e.g. <c>https://backoffice.example.com/_maintenance</c>.
/// The request and response types are the endpoints' own (<see cref="MaintenanceEndpointsJsonContext"/>), so the two
/// sides cannot drift. Redirects are never followed: the key and the body would go to wherever a 3xx points.
/// </summary>
internal sealed class HttpTarget : IMaintenanceTarget
{
    private static readonly MaintenanceEndpointsJsonContext s_json = MaintenanceEndpointsJsonContext.Default;

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client;

    public HttpTarget(Uri baseUrl, string apiKey, HttpMessageHandler? handler = null)
    {
        var normalized = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _client = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
            : new HttpClient(handler, disposeHandler: false);
        _client.BaseAddress = normalized;
        _client.Timeout = Timeout.InfiniteTimeSpan;
        _client.DefaultRequestHeaders.Add(MaintenanceApiKeyDefaults.HeaderName, apiKey);
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("maintenance-cli/1.0");
        Description = $"endpoints at {normalized}";
    }

    public string Description { get; }

    public Task<MaintenanceStatus> GetStatusAsync(string application, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"status?app={Uri.EscapeDataString(application)}", null, s_json.MaintenanceStatus, cancellationToken);

    public Task<MaintenanceSwitchResult> EnableAsync(EnableMaintenanceRequest request, TimeSpan? wait, CancellationToken cancellationToken)
    {
        var body = new EnableMaintenanceBody
        {
            Application = request.Application,
            Reason = request.Reason,
            Message = request.Message,
            Mode = request.Mode == MaintenanceMode.Full ? null : request.Mode.ToString(),
            StartsAt = request.StartsAt,
            EndsAt = request.EndsAt,
            Duration = request.Duration is { } d ? d.ToString("c", CultureInfo.InvariantCulture) : null,
            AllowedNetworks = request.AllowedNetworks.Count == 0 ? null : [.. request.AllowedNetworks],
            ExpectedVersion = request.ExpectedVersion,
            Wait = Format(wait),
        };
        return SwitchAsync("enable", JsonContent.Create(body, s_json.EnableMaintenanceBody), wait, cancellationToken);
    }

    public Task<MaintenanceSwitchResult> DisableAsync(DisableMaintenanceRequest request, TimeSpan? wait, CancellationToken cancellationToken)
    {
        var body = new DisableMaintenanceBody { Application = request.Application, Reason = request.Reason, ExpectedVersion = request.ExpectedVersion, Wait = Format(wait) };
        return SwitchAsync("disable", JsonContent.Create(body, s_json.DisableMaintenanceBody), wait, cancellationToken);
    }

    public Task<MaintenanceInstanceList> GetInstancesAsync(string? application, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, application is null ? "instances" : "instances?app=" + Uri.EscapeDataString(application), null, s_json.MaintenanceInstanceList, cancellationToken);

    public Task<MaintenanceBypassLinkCreated> CreateBypassLinkAsync(CreateBypassLinkRequest request, CancellationToken cancellationToken)
    {
        var body = new CreateBypassLinkBody
        {
            Application = request.Application,
            Name = request.Name,
            Reason = request.Reason,
            Duration = request.Lifetime.ToString("c", CultureInfo.InvariantCulture),
        };
        return SendAsync(HttpMethod.Post, "bypass", JsonContent.Create(body, s_json.CreateBypassLinkBody), s_json.MaintenanceBypassLinkCreated, cancellationToken);
    }

    public Task<IReadOnlyList<MaintenanceBypassLink>> GetBypassLinksAsync(string? application, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, application is null ? "bypass" : "bypass?app=" + Uri.EscapeDataString(application), null, s_json.IReadOnlyListMaintenanceBypassLink, cancellationToken);

    public Task<MaintenanceBypassLink> RevokeBypassLinkAsync(RevokeBypassLinkRequest request, CancellationToken cancellationToken)
    {
        var body = new RevokeBypassLinkBody { Id = request.Id, Reason = request.Reason };
        return SendAsync(HttpMethod.Post, "bypass/revoke", JsonContent.Create(body, s_json.RevokeBypassLinkBody), s_json.MaintenanceBypassLink, cancellationToken);
    }

    public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application, int limit, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"audit?limit={limit}");
        if (application is not null)
        {
            query += "&app=" + Uri.EscapeDataString(application);
        }

        return SendAsync(HttpMethod.Get, query, null, s_json.IReadOnlyListMaintenanceAuditEntry, cancellationToken);
    }

    /// <summary>
    /// Over HTTP: the applications in the audit trail (every stored state has an audit entry) and the app's own
    /// application (<c>GET status</c> without <c>app</c> answers for it), so a deployed app is known before its first switch.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> GetKnownApplicationsAsync(CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in await GetAuditTrailAsync(null, MaintenanceRules.MaxAuditLimit, cancellationToken).ConfigureAwait(false))
        {
            names.Add(entry.Application);
        }

        names.Add((await SendAsync(HttpMethod.Get, "status", null, s_json.MaintenanceStatus, cancellationToken).ConfigureAwait(false)).Application);
        foreach (var instance in (await GetInstancesAsync(null, cancellationToken).ConfigureAwait(false)).Instances)
        {
            names.Add(instance.Application);
            names.UnionWith(instance.Applications);
        }

        names.Remove(MaintenanceState.AllApplications);
        return names;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string? Format(TimeSpan? wait) => wait?.ToString("c", CultureInfo.InvariantCulture);

    // With a wait, the answer is the state and the confirmation; 504 carries it too (not every instance confirmed).
    private async Task<MaintenanceSwitchResult> SwitchAsync(string relative, HttpContent content, TimeSpan? wait, CancellationToken cancellationToken)
    {
        if (wait is not { } timeout)
        {
            return new MaintenanceSwitchResult { State = await SendAsync(HttpMethod.Post, relative, content, s_json.MaintenanceState, cancellationToken).ConfigureAwait(false) };
        }

        return await SendAsync(HttpMethod.Post, relative, content, s_json.MaintenanceSwitchResult, cancellationToken, s_timeout + timeout, HttpStatusCode.GatewayTimeout).ConfigureAwait(false);
    }

    private async Task<T> SendAsync<T>(
        HttpMethod method, string relative, HttpContent? content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken, TimeSpan? timeout = null, HttpStatusCode? alsoAnswer = null)
    {
        using var request = new HttpRequestMessage(method, relative) { Content = content };
        var limit = timeout ?? s_timeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        HttpResponseMessage response;
        try
        {
            response = await _client.SendAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw CliException.Failed($"Could not reach the {Description}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw CliException.Failed($"The {Description} did not answer within {limit.TotalSeconds:0} s.", ex);
        }

        using (response)
        {
            if ((int)response.StatusCode is >= 300 and < 400)
            {
                var location = response.Headers.Location is { } to ? new Uri(request.RequestUri!, to).ToString() : "(no Location header)";
                throw CliException.Failed(
                    $"The {Description} answered {(int)response.StatusCode} {response.ReasonPhrase}, a redirect to {location}. " +
                    "The CLI never follows redirects, so the API key and the request stay where --url points; nothing changed. Give the final address as --url.");
            }

            if (response.IsSuccessStatusCode || response.StatusCode == alsoAnswer)
            {
                try
                {
                    return await response.Content.ReadFromJsonAsync(typeInfo, deadline.Token).ConfigureAwait(false)
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
                HttpStatusCode.BadRequest => CliException.Usage((problem ?? "The request was refused as invalid (400).") + " Nothing changed."),
                HttpStatusCode.Unauthorized => CliException.Failed($"The API key was refused (401 Unauthorized): check --api-key or {CliContext.ApiKeyVariable}."),
                HttpStatusCode.Forbidden => CliException.Failed("The API key is valid but not allowed to do this (403 Forbidden)."),
                HttpStatusCode.NotFound => CliException.Failed($"No maintenance endpoint at {response.RequestMessage?.RequestUri} (404); is --url the maintenance endpoints' base (e.g. https://host/_maintenance)?"),
                HttpStatusCode.Conflict => CliException.Failed(problem ?? "Someone else changed the state first (409); nothing changed."),
                _ => CliException.Failed($"The {Description} answered {(int)response.StatusCode} {response.ReasonPhrase}{(problem is null ? "." : ": " + problem)}"),
            };
        }
    }

    /// <summary>The problem+json answer as one line; validation errors by CLI option (<c>--reason: ...</c>), as over a store.</summary>
    private static async Task<string?> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/json"))
        {
            return null;
        }

        try
        {
            var problem = await response.Content.ReadFromJsonAsync(s_json.HttpValidationProblemDetails, cancellationToken).ConfigureAwait(false);
            if (problem?.Errors is { Count: > 0 } errors)
            {
                return string.Join("; ", errors.Select(e => $"{CliOptionNames.For(e.Key)}: {string.Join(" ", e.Value)}"));
            }

            return problem?.Detail ?? problem?.Title;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
