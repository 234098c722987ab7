using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Control;

public sealed class EndpointsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = await EndpointsTestHost.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Request_without_credentials_gets_401_with_challenge()
    {
        using var response = await _client.GetAsync("/_maintenance/status");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Maintenance-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("deploy-key-012345678")]
    [InlineData("deploy-key-0123456789 extra")]
    public async Task Wrong_key_gets_401_and_changes_nothing(string key)
    {
        using var response = await SendAsync(HttpMethod.Post, "/_maintenance/enable", key, """{"application":"Storefront","reason":"x"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Authenticated_but_not_authorized_gets_403()
    {
        using var response = await SendAsync(HttpMethod.Post, "/_maintenance/enable", EndpointsTestHost.ReaderKey, """{"application":"Storefront","reason":"x"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Enable_with_key_switches_on_and_audit_records_key_name_and_client_ip()
    {
        var context = await _app.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/_maintenance/enable";
            c.Request.Headers["X-Maintenance-Key"] = EndpointsTestHost.DeployKey;
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"application":"Storefront","reason":"Release 42","duration":"15m","allowedNetworks":["10.1.0.0/16"]}"""));
            c.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:203.0.113.9");
        });

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        var state = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body);
        Assert.True(state.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, state.GetProperty("version").GetInt64());
        Assert.Equal("deploy", state.GetProperty("changedBy").GetString());
        var entry = Assert.Single(await Store.GetAuditTrailAsync());
        Assert.Equal("deploy", entry.Actor);
        Assert.Equal("203.0.113.9", entry.Source);
        Assert.Equal("Release 42", entry.Reason);
        Assert.Equal(["10.1.0.0/16"], entry.After.AllowedNetworks);
        Assert.NotNull(entry.After.EndsAt);
    }

    [Fact]
    public async Task Authorization_ApiKey_header_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_maintenance/status?app=BackOffice");
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", EndpointsTestHost.DeployKey);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("BackOffice", status.GetProperty("application").GetString());
        Assert.False(status.GetProperty("isActive").GetBoolean());
    }

    [Fact]
    public async Task Status_defaults_to_own_application_and_shows_an_enabled_window()
    {
        await PostOkAsync("/_maintenance/enable", """{"reason":"Release 42","mode":"ReadOnly"}""");

        using var response = await SendAsync(HttpMethod.Get, "/_maintenance/status", EndpointsTestHost.DeployKey);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Storefront", status.GetProperty("application").GetString());
        Assert.True(status.GetProperty("isActive").GetBoolean());
        Assert.Equal("ReadOnly", status.GetProperty("effective").GetProperty("mode").GetString());
        Assert.Equal("Release 42", status.GetProperty("effective").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Disable_switches_off_and_audit_lists_both_newest_first()
    {
        await PostOkAsync("/_maintenance/enable", """{"application":"*","reason":"Release 42"}""");
        await PostOkAsync("/_maintenance/disable", """{"application":"*","reason":"Release 42 done"}""");

        using var response = await SendAsync(HttpMethod.Get, "/_maintenance/audit?app=*&limit=10", EndpointsTestHost.DeployKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, entries.GetArrayLength());
        Assert.Equal("Disable", entries[0].GetProperty("action").GetString());
        Assert.Equal("Release 42 done", entries[0].GetProperty("reason").GetString());
        Assert.Equal("Enable", entries[1].GetProperty("action").GetString());

        using var limited = await SendAsync(HttpMethod.Get, "/_maintenance/audit?limit=1", EndpointsTestHost.DeployKey);
        Assert.Equal(1, (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
    }

    [Theory]
    [InlineData("""{"application":"Storefront"}""", "reason")]
    [InlineData("""{"application":"Storefront","reason":"   "}""", "reason")]
    [InlineData("""{"application":"Storefront","reason":"a\nb"}""", "reason")]
    [InlineData("""{"application":"Warehouse","reason":"x"}""", "application")]
    [InlineData("""{"application":"../x","reason":"x"}""", "application")]
    [InlineData("""{"reason":"x","duration":"soon"}""", "duration")]
    [InlineData("""{"reason":"x","endsAt":"2001-01-01T00:00:00Z"}""", "endsAt")]
    [InlineData("""{"reason":"x","startsAt":"2099-01-02T00:00:00Z","endsAt":"2099-01-01T00:00:00Z"}""", "endsAt")]
    [InlineData("""{"reason":"x","mode":"Partial"}""", "mode")]
    [InlineData("""{"reason":"x","duration":"999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d999999d"}""", "duration")]
    [InlineData("""{"reason":"x","startsAt":"9999-12-31T00:00:00Z","duration":"2d"}""", "startsAt")]
    [InlineData("""{"reason":"x","endsAt":"9999-12-31T23:59:59Z"}""", "endsAt")]
    [InlineData("""{"reason":"x","expectedVersion":-1}""", "expectedVersion")]
    [InlineData("""{"reason":"Release \u202E24"}""", "reason")]
    [InlineData("""{"reason":"one\u2028two"}""", "reason")]
    [InlineData("""{"reason":"x","mode":"1"}""", "mode")]
    [InlineData("""{"reason":"x","mode":"Full,ReadOnly"}""", "mode")]
    [InlineData("""{"reason":"x","allowedNetworks":["10.0.0.0/33"]}""", "allowedNetworks")]
    [InlineData("""{"reason":"x","endsAt":"tomorrow"}""", "endsAt")]
    [InlineData("""{"reason":"x","reson":"typo"}""", "reson")]
    [InlineData("""{"reason":"x",""", "body")]
    [InlineData("""not json""", "body")]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    public async Task Bad_enable_request_gets_400_problem_naming_the_field(string body, string field)
    {
        using var response = await SendAsync(HttpMethod.Post, "/_maintenance/enable", EndpointsTestHost.DeployKey, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Empty(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Oversized_body_with_content_length_gets_413_problem_and_changes_nothing()
    {
        // Valid JSON that would switch maintenance on, padded past the limit with whitespace.
        var body = """{"application":"Storefront","reason":"x"}""" + new string(' ', MaintenanceMiddleware.MaintenanceEndpointHandlers.MaxBodyBytes);

        using var response = await SendAsync(HttpMethod.Post, "/_maintenance/enable", EndpointsTestHost.DeployKey, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("KiB", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Oversized_body_without_content_length_gets_413_problem_and_changes_nothing()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"application":"Storefront","reason":"x"}""" + new string(' ', MaintenanceMiddleware.MaintenanceEndpointHandlers.MaxBodyBytes));
        var context = await _app.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/_maintenance/enable";
            c.Request.Headers[MaintenanceApiKeyDefaults.HeaderName] = EndpointsTestHost.DeployKey;
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(bytes);
        });

        Assert.Null(context.Request.ContentLength);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Empty(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Body_just_under_the_limit_is_accepted()
    {
        const string json = """{"application":"Storefront","reason":"x"}""";
        var body = json + new string(' ', MaintenanceMiddleware.MaintenanceEndpointHandlers.MaxBodyBytes - json.Length);

        await PostOkAsync("/_maintenance/enable", body);

        Assert.Single(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Non_json_content_type_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_maintenance/enable")
        {
            Content = new StringContent("""{"reason":"x"}""", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, EndpointsTestHost.DeployKey);
        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await Store.GetAuditTrailAsync());
    }

    [Theory]
    [InlineData("/_maintenance/audit?limit=0")]
    [InlineData("/_maintenance/audit?limit=lots")]
    [InlineData("/_maintenance/audit?limit=10001")]
    [InlineData("/_maintenance/audit?limit=99999999999")]
    [InlineData("/_maintenance/status?app=Warehouse")]
    public async Task Bad_query_gets_400_problem(string url)
    {
        using var response = await SendAsync(HttpMethod.Get, url, EndpointsTestHost.DeployKey);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Negative_expected_version_gets_400_naming_the_field_not_409()
    {
        await PostOkAsync("/_maintenance/enable", """{"reason":"first"}""");

        using var response = await SendAsync(HttpMethod.Post, "/_maintenance/disable", EndpointsTestHost.DeployKey, """{"reason":"second","expectedVersion":-1}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Contains("0 or more", Assert.Single(problem!.Errors["expectedVersion"]), StringComparison.Ordinal);
        Assert.Single(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Audit_limit_error_is_the_same_sentence_as_the_service_gives()
    {
        using var response = await SendAsync(HttpMethod.Get, "/_maintenance/audit?limit=lots", EndpointsTestHost.DeployKey);

        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Equal("The limit must be a whole number between 1 and 10000 (got lots).", Assert.Single(problem!.Errors["limit"]));
        var fromService = await Assert.ThrowsAsync<MaintenanceValidationException>(() => _app.Services.GetRequiredService<IMaintenanceModeService>().GetAuditTrailAsync(limit: 0));
        Assert.Equal("The limit must be a whole number between 1 and 10000 (got 0).", fromService.Message);
    }

    [Fact]
    public async Task Stale_expected_version_gets_409_problem()
    {
        await PostOkAsync("/_maintenance/enable", """{"reason":"first"}""");

        using var response = await SendAsync(HttpMethod.Post, "/_maintenance/disable", EndpointsTestHost.DeployKey, """{"reason":"second","expectedVersion":0}""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Single(await Store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Every_endpoint_is_allowed_during_maintenance_and_requires_authorization()
    {
        var all = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.DisplayName?.Contains("/_maintenance/", StringComparison.Ordinal) == true)
            .ToList();
        var notice = all.Where(e => e.DisplayName!.Contains("/_maintenance/notice", StringComparison.Ordinal)).ToList();
        var endpoints = all.Except(notice).ToList();

        // status, enable, disable, audit, instances, preview; bypass create, list, revoke; and the notice with its script,
        // which UseMaintenanceMode maps anonymous.
        Assert.Equal(9, endpoints.Count);
        Assert.Equal(2, notice.Count);
        Assert.All(notice, e => Assert.NotNull(e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>()));
        Assert.All(endpoints, e =>
        {
            Assert.NotNull(e.Metadata.GetMetadata<MaintenanceMiddleware.AllowDuringMaintenanceAttribute>());
            Assert.NotNull(e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>());
        });
    }

    private IMaintenanceStateStore Store => _app.Services.GetRequiredService<IMaintenanceStateStore>();

    private async Task PostOkAsync(string url, string body)
    {
        using var response = await SendAsync(HttpMethod.Post, url, EndpointsTestHost.DeployKey, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await _client.SendAsync(request);
    }
}
