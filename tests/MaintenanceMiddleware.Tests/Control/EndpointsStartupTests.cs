using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Tests.Control;

public class EndpointsStartupTests
{
    [Fact]
    public async Task Endpoints_without_a_policy_stop_start_up_with_a_clear_message()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => EndpointsTestHost.StartAsync(conventions: _ => { }));

        Assert.Contains("'/_maintenance' have no authorization policy", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".RequireAuthorization(\"MaintenanceOperator\")", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_endpoints_are_refused_even_with_a_policy()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            EndpointsTestHost.StartAsync(conventions: e => e.RequireAuthorization(MaintenanceApiKeyDefaults.PolicyName).AllowAnonymous()));

        Assert.Contains("[AllowAnonymous]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unregistered_policy_name_stops_start_up_naming_it()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            EndpointsTestHost.StartAsync(conventions: e => e.RequireAuthorization("MaintenanceOperatr")));

        Assert.Contains("'MaintenanceOperatr', which is not registered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policy_from_configuration_is_applied()
    {
        await using var app = await EndpointsTestHost.StartAsync(
            conventions: _ => { },
            configureBuilder: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MaintenanceMode:Endpoints:AuthorizationPolicy"] = MaintenanceApiKeyDefaults.PolicyName,
            }));
        using var client = app.GetTestClient();

        using var anonymous = await client.GetAsync("/_maintenance/status");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_maintenance/status");
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, EndpointsTestHost.ReaderKey);
        using var withKey = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
    }

    [Fact]
    public async Task Policy_on_an_outer_group_counts()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddMaintenanceMode(o => o.Application = "Storefront").UseInMemoryStore();
        builder.Services.AddAuthentication().AddMaintenanceApiKey(o => o.AddKeyHash("deploy", MaintenanceApiKeyHash.Compute("k")));
        builder.Services.AddAuthorizationBuilder().AddMaintenanceOperatorPolicy();
        await using var app = builder.Build();
        app.MapGroup("/ops").RequireAuthorization(MaintenanceApiKeyDefaults.PolicyName).MapMaintenanceEndpoints("/_maintenance");
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/ops/_maintenance/status");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_keys_bind_from_the_section_given_to_AddMaintenanceMode()
    {
        await using var app = await StartWithSectionAsync("Ops:Maintenance", MaintenanceApiKeyHash.Compute("from-ops"));
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_maintenance/status");
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, "from-ops");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Api_key_error_names_the_real_path_under_the_given_section()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartWithSectionAsync("Ops:Maintenance", "not-a-hash"));

        Assert.Contains("Ops:Maintenance:ApiKeys:pipeline:Hash", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("MaintenanceMode:ApiKeys", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my key")]
    [InlineData("tab\tkey")]
    [InlineData("rtl\u202Ekey")]
    public async Task Api_key_name_the_cli_would_refuse_stops_start_up_too(string name)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EndpointsTestHost.StartAsync(
            configureBuilder: b => b.Services.Configure<MaintenanceApiKeyOptions>(MaintenanceApiKeyDefaults.AuthenticationScheme, o => o.AddKeyHash(Unescape(name), MaintenanceApiKeyHash.Compute("k")))));

        Assert.Contains("the key name must be 1-64 characters without white space, ':' or control characters", ex.Message, StringComparison.Ordinal);
    }

    private static string Unescape(string text) => System.Text.RegularExpressions.Regex.Unescape(text);

    private static async Task<WebApplication> StartWithSectionAsync(string section, string hash)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{section}:Application"] = "Storefront",
            [$"{section}:ApiKeys:pipeline:Hash"] = hash,
        });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection(section)).UseInMemoryStore();
        builder.Services.AddAuthentication().AddMaintenanceApiKey();
        builder.Services.AddAuthorizationBuilder().AddMaintenanceOperatorPolicy();
        var app = builder.Build();
        app.MapMaintenanceEndpoints("/_maintenance").RequireAuthorization(MaintenanceApiKeyDefaults.PolicyName);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    [Theory]
    [InlineData("not-a-hash")]
    [InlineData("")]
    public async Task Api_key_hash_that_is_not_sha256_hex_stops_start_up_naming_the_entry(string hash)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => EndpointsTestHost.StartAsync(
            configureBuilder: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MaintenanceMode:ApiKeys:pipeline:Hash"] = hash,
            })));

        Assert.Contains("MaintenanceMode:ApiKeys:pipeline:Hash", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_keys_bind_from_configuration()
    {
        await using var app = await EndpointsTestHost.StartAsync(
            conventions: e => e.RequireAuthorization(MaintenanceApiKeyDefaults.PolicyName),
            configureBuilder: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MaintenanceMode:ApiKeys:pipeline:Hash"] = MaintenanceApiKeyHash.Compute("from-config").ToUpperInvariant(),
            }));
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_maintenance/status");
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, "from-config");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Hash_is_sha256_hex_of_the_utf8_key()
    {
        Assert.Equal("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", MaintenanceApiKeyHash.Compute("foo"));
        var generated = MaintenanceApiKeyHash.GenerateKey();
        Assert.Equal(43, generated.Length);
        Assert.NotEqual(generated, MaintenanceApiKeyHash.GenerateKey());
    }

    [Fact]
    public async Task Store_failure_gets_503_problem()
    {
        await using var app = await EndpointsTestHost.StartAsync(store: new FailingStore(), configureOptions: o => o.StartupTimeout = TimeSpan.FromMilliseconds(200));
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_maintenance/status");
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, EndpointsTestHost.DeployKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
