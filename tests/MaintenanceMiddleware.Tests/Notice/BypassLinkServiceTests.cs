using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MaintenanceMiddleware.Tests.Control;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Notice;

/// <summary>Bypass links through the service and the HTTP endpoints (issue 10, part 1): rules, audit, list, revoke.</summary>
public class BypassLinkServiceTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);
    private static readonly MaintenanceActor s_actor = new("alice", "10.0.0.5");

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly InMemoryMaintenanceStateStore _store = new();

    private MaintenanceModeService CreateService(TimeSpan? cap = null)
    {
        var options = new MaintenanceModeOptions { Application = "Storefront" };
        if (cap is { } c)
        {
            options.BypassLinkMaxLifetime = c;
        }

        return new MaintenanceModeService(_store, Microsoft.Extensions.Options.Options.Create(options), _time);
    }

    [Fact]
    public async Task Create_stores_only_the_hash_and_audits_the_id_never_the_token()
    {
        var service = CreateService();

        var created = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "QA Anna", Reason = "release check", Lifetime = TimeSpan.FromHours(2), Actor = s_actor });

        Assert.Matches("^/_maintenance/pass/[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$", created.Path);
        var token = created.Path[(created.Path.IndexOf('.') + 1)..];
        Assert.Equal(s_now.AddHours(2), created.Link.ExpiresAt);
        Assert.Equal("alice", created.Link.CreatedBy);
        var state = Assert.Single(await _store.GetStatesAsync());
        Assert.Equal(created.Link, Assert.Single(state.BypassLinks));
        Assert.False(state.Enabled);
        var entry = Assert.Single(await service.GetAuditTrailAsync());
        Assert.Equal(MaintenanceAction.BypassCreate, entry.Action);
        Assert.Equal("release check", entry.Reason);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(entry, MaintenanceStoreJson.AuditEntry), StringComparison.Ordinal);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(state, MaintenanceStoreJson.State), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_links_never_share_a_token()
    {
        var service = CreateService();
        var a = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "A", Reason = "r", Lifetime = TimeSpan.FromHours(1) });
        var b = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "B", Reason = "r", Lifetime = TimeSpan.FromHours(1) });

        Assert.NotEqual(a.Link.Id, b.Link.Id);
        Assert.NotEqual(a.Path[(a.Path.IndexOf('.') + 1)..], b.Path[(b.Path.IndexOf('.') + 1)..]);
    }

    [Theory]
    [InlineData(25 * 60, null, "duration", "The lifetime 1d1h is longer than the longest allowed, 1d (MaintenanceMode:BypassLinkMaxLifetime).")]
    [InlineData(0, null, "duration", "The lifetime of a bypass link must be positive, e.g. 2h.")]
    [InlineData(60, "", "name", "A name is required: who the link is for, such as 'QA Anna'.")]
    [InlineData(60, "Anna\nBob", "name", "The name contains a control character (U+000A); use plain text on one line.")]
    public async Task Bad_create_request_is_refused_naming_the_field(int minutes, string? name, string field, string message)
    {
        var service = CreateService();

        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = name ?? "QA Anna", Reason = "r", Lifetime = TimeSpan.FromMinutes(minutes) }));

        Assert.Equal(field, ex.Field);
        Assert.Equal(message, ex.Message);
        Assert.Empty(await _store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Configured_cap_allows_longer_links()
    {
        var service = CreateService(cap: TimeSpan.FromDays(3));

        var created = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "QA", Reason = "r", Lifetime = TimeSpan.FromDays(2) });

        Assert.Equal(s_now.AddDays(2), created.Link.ExpiresAt);
    }

    [Fact]
    public async Task List_shows_live_links_and_revoke_ends_one_with_an_audit_entry()
    {
        var service = CreateService();
        var a = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "A", Reason = "r", Lifetime = TimeSpan.FromHours(3) });
        var b = await service.CreateBypassLinkAsync(new() { Application = "*", Name = "B", Reason = "r", Lifetime = TimeSpan.FromHours(1) });

        Assert.Equal([b.Link.Id, a.Link.Id], (await service.GetBypassLinksAsync("Storefront")).Select(l => l.Id));

        var revoked = await service.RevokeBypassLinkAsync(new() { Id = a.Link.Id, Reason = "done testing", Actor = s_actor });

        Assert.Equal(s_now, revoked.RevokedAt);
        Assert.Equal("alice", revoked.RevokedBy);
        Assert.Equal([b.Link.Id], (await service.GetBypassLinksAsync()).Select(l => l.Id));
        var entry = (await service.GetAuditTrailAsync())[0];
        Assert.Equal(MaintenanceAction.BypassRevoke, entry.Action);
        Assert.Equal("done testing", entry.Reason);
    }

    [Fact]
    public async Task Revoking_unknown_revoked_or_expired_ids_is_a_precise_error()
    {
        var service = CreateService();
        var a = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "A", Reason = "r", Lifetime = TimeSpan.FromHours(1) });
        var b = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "B", Reason = "r", Lifetime = TimeSpan.FromMinutes(10) });
        await service.RevokeBypassLinkAsync(new() { Id = a.Link.Id, Actor = s_actor });

        var unknown = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.RevokeBypassLinkAsync(new() { Id = "0123456789abcdef" }));
        var again = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.RevokeBypassLinkAsync(new() { Id = a.Link.Id }));
        _time.Advance(TimeSpan.FromMinutes(11));
        var expired = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.RevokeBypassLinkAsync(new() { Id = b.Link.Id }));

        Assert.Equal("There is no bypass link '0123456789abcdef'; 'maintenance bypass list' shows the live ones.", unknown.Message);
        Assert.Equal($"The bypass link '{a.Link.Id}' was already revoked at 2026-11-25T13:45:00.0000000+00:00 by alice; nothing changed.", again.Message);
        Assert.Equal($"The bypass link '{b.Link.Id}' expired at 2026-11-25T13:55:00.0000000+00:00; it opens nothing, so there is nothing to revoke.", expired.Message);
        Assert.All([unknown, again, expired], e => Assert.Equal("id", e.Field));
    }

    [Fact]
    public async Task Links_survive_enable_and_disable()
    {
        var service = CreateService();
        var a = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "A", Reason = "r", Lifetime = TimeSpan.FromHours(1) });

        await service.EnableAsync(new() { Application = "Storefront", Reason = "Release" });
        await service.DisableAsync(new() { Application = "Storefront", Reason = "Done" });

        Assert.Equal(a.Link, Assert.Single(await service.GetBypassLinksAsync()));
    }

    [Fact]
    public async Task Http_create_list_and_revoke()
    {
        await using var app = await EndpointsTestHost.StartAsync();
        using var client = app.GetTestClient();

        using var created = await SendAsync(client, HttpMethod.Post, "/_maintenance/bypass", """{"name":"QA Anna","reason":"release check","duration":"2h"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("link").GetProperty("id").GetString()!;
        Assert.Equal("Storefront", body.GetProperty("link").GetProperty("application").GetString());
        Assert.Equal("deploy", body.GetProperty("link").GetProperty("createdBy").GetString());
        Assert.StartsWith("/_maintenance/pass/" + id + ".", body.GetProperty("path").GetString(), StringComparison.Ordinal);

        using var list = await SendAsync(client, HttpMethod.Get, "/_maintenance/bypass?app=Storefront");
        Assert.Equal(id, (await list.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("id").GetString());

        using var revoke = await SendAsync(client, HttpMethod.Post, "/_maintenance/bypass/revoke", $$"""{"id":"{{id}}"}""");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        using var again = await SendAsync(client, HttpMethod.Post, "/_maintenance/bypass/revoke", $$"""{"id":"{{id}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("id", out _));
    }

    [Theory]
    [InlineData("""{"name":"QA","reason":"r","duration":"48h"}""", "duration")]
    [InlineData("""{"name":"QA","reason":"r"}""", "duration")]
    [InlineData("""{"reason":"r","duration":"1h"}""", "name")]
    [InlineData("""{"name":"QA","duration":"1h"}""", "reason")]
    [InlineData("""{"name":"QA","reason":"r","duration":"1h","application":"Warehouse"}""", "application")]
    [InlineData("""{"name":"QA","reason":"r","duration":"1h","token":"x"}""", "token")]
    public async Task Http_bad_create_gets_400_naming_the_field(string json, string field)
    {
        await using var app = await EndpointsTestHost.StartAsync();
        using var client = app.GetTestClient();

        using var response = await SendAsync(client, HttpMethod.Post, "/_maintenance/bypass", json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.Services.GetRequiredService<IMaintenanceStateStore>().GetAuditTrailAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, EndpointsTestHost.DeployKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }
}
