using System.Net;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Notice;

/// <summary>Bypass links on the request path (issue 10, part 1): opening a link, the cookie, revocation, expiry, tampering.</summary>
public sealed class BypassLinkTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_now);
    private RequestTestHost _host = null!;

    public async Task InitializeAsync() => _host = await RequestTestHost.StartAsync(s =>
    {
        s.Time = _time;
        s.Endpoints = app => app.MapPost("/orders", () => RequestTestHost.RealSite).DisabledDuringMaintenance();
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Opening_a_live_link_sets_a_strict_cookie_and_redirects_home_then_the_cookie_passes_maintenance()
    {
        await _host.EnableAsync();
        var created = await CreateAsync(TimeSpan.FromHours(2));

        var open = await _host.SendAsync(created.Path);

        Assert.Equal(StatusCodes.Status302Found, open.Response.StatusCode);
        Assert.Equal("/", open.Header("Location"));
        Assert.Equal("no-store", open.Header("Cache-Control"));
        var cookie = open.Header("Set-Cookie")!;
        var credential = created.Path[MaintenanceBypassLinkCreated.PathPrefix.Length..];
        Assert.Equal($".MaintenanceBypass={credential}; expires=Wed, 25 Nov 2026 15:45:00 GMT; path=/; samesite=lax; httponly", cookie);

        var page = await _host.SendAsync("/", configure: c => c.Request.Headers.Cookie = ".MaintenanceBypass=" + credential);
        Assert.Equal(StatusCodes.Status200OK, page.Response.StatusCode);
        Assert.Equal(RequestTestHost.RealSite, page.BodyText());

        var without = await _host.SendAsync("/");
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, without.Response.StatusCode);
    }

    [Fact]
    public async Task Cookie_is_secure_on_https()
    {
        await _host.EnableAsync();
        var created = await CreateAsync(TimeSpan.FromMinutes(30));

        var open = await _host.SendAsync(created.Path, configure: c => c.Request.Scheme = "https");

        Assert.Contains("; secure;", open.Header("Set-Cookie"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/products/42?x=1", "/products/42?x=1")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("javascript:alert(1)", "/")]
    public async Task Return_goes_to_a_local_path_only_never_another_host(string returnTo, string location)
    {
        await _host.EnableAsync();
        var created = await CreateAsync(TimeSpan.FromMinutes(30));

        var open = await _host.SendAsync(created.Path, configure: c => c.Request.QueryString = QueryString.Create("return", returnTo));

        Assert.Equal(StatusCodes.Status302Found, open.Response.StatusCode);
        Assert.Equal(location, open.Header("Location"));
    }

    [Fact]
    public async Task Disabled_during_maintenance_endpoints_still_refuse_a_bypass_visitor()
    {
        await _host.EnableAsync();
        var credential = (await CreateAsync(TimeSpan.FromMinutes(30))).Path[MaintenanceBypassLinkCreated.PathPrefix.Length..];

        var context = await _host.SendAsync("/orders", "POST", configure: c => c.Request.Headers.Cookie = ".MaintenanceBypass=" + credential);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
    }

    [Fact]
    public async Task Revoked_link_and_its_cookie_get_the_maintenance_page()
    {
        await _host.EnableAsync();
        var created = await CreateAsync(TimeSpan.FromHours(1));
        var credential = created.Path[MaintenanceBypassLinkCreated.PathPrefix.Length..];
        await _host.Service.RevokeBypassLinkAsync(new() { Id = created.Link.Id });
        await _host.Monitor.ReloadAsync(CancellationToken.None);

        var open = await _host.SendAsync(created.Path);
        var withCookie = await _host.SendAsync("/", configure: c => c.Request.Headers.Cookie = ".MaintenanceBypass=" + credential);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, open.Response.StatusCode);
        Assert.Null(open.Header("Set-Cookie"));
        Assert.Contains("Storefront is being improved", open.BodyText(), StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, withCookie.Response.StatusCode);
    }

    [Fact]
    public async Task Expired_link_gets_the_maintenance_page()
    {
        await _host.EnableAsync();
        var created = await CreateAsync(TimeSpan.FromMinutes(10));
        var credential = created.Path[MaintenanceBypassLinkCreated.PathPrefix.Length..];

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, (await _host.SendAsync(created.Path)).Response.StatusCode);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, (await _host.SendAsync("/", configure: c => c.Request.Headers.Cookie = ".MaintenanceBypass=" + credential)).Response.StatusCode);
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("short")]
    [InlineData("noid")]
    [InlineData("garbage")]
    [InlineData("extra-segment")]
    public async Task Tampered_link_or_cookie_gets_the_maintenance_page_never_an_error(string how)
    {
        await _host.EnableAsync();
        var created = await CreateAsync(TimeSpan.FromHours(1));
        var credential = created.Path[MaintenanceBypassLinkCreated.PathPrefix.Length..];
        var tampered = how switch
        {
            "flip" => credential[..^1] + (credential[^1] == 'A' ? 'B' : 'A'),
            "short" => credential[..^2],
            "noid" => credential[credential.IndexOf('.')..],
            "garbage" => "%%%.!!!",
            _ => credential + "/more",
        };

        var open = await _host.SendAsync(MaintenanceBypassLinkCreated.PathPrefix + tampered);
        var withCookie = await _host.SendAsync("/", configure: c => c.Request.Headers.Cookie = ".MaintenanceBypass=" + tampered);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, open.Response.StatusCode);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, withCookie.Response.StatusCode);
        Assert.DoesNotContain(OwnLogs(), r => r.Message.Contains(credential[(credential.IndexOf('.') + 1)..^2], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Link_opened_before_the_window_sets_the_cookie_and_it_works_once_maintenance_starts()
    {
        var created = await CreateAsync(TimeSpan.FromHours(2));
        await _host.Monitor.ReloadAsync(CancellationToken.None);

        var open = await _host.SendAsync(created.Path);
        Assert.Equal(StatusCodes.Status302Found, open.Response.StatusCode);
        Assert.NotNull(open.Header("Set-Cookie"));

        await _host.EnableAsync();
        var credential = created.Path[MaintenanceBypassLinkCreated.PathPrefix.Length..];
        Assert.Equal(StatusCodes.Status200OK, (await _host.SendAsync("/", configure: c => c.Request.Headers.Cookie = ".MaintenanceBypass=" + credential)).Response.StatusCode);
    }

    [Fact]
    public async Task First_use_is_audited_once_with_the_id_never_the_token()
    {
        await _host.EnableAsync();
        var created = await CreateAsync(TimeSpan.FromHours(1));
        var token = created.Path[(created.Path.IndexOf('.') + 1)..];

        await _host.SendAsync(created.Path, ip: IPAddress.Parse("198.51.100.7"));
        await _host.SendAsync(created.Path);
        var use = await WaitForAsync(async () => (await _host.Service.GetAuditTrailAsync()).FirstOrDefault(e => e.Action == MaintenanceAction.BypassUse));
        await _host.Monitor.ReloadAsync(CancellationToken.None);
        await _host.SendAsync(created.Path);
        await Task.Delay(200);

        var trail = await _host.Service.GetAuditTrailAsync();
        Assert.Single(trail, e => e.Action == MaintenanceAction.BypassUse);
        Assert.Equal("198.51.100.7", use.Source);
        Assert.Equal("QA Anna", use.Actor);
        Assert.Contains(created.Link.Id, use.Reason, StringComparison.Ordinal);
        Assert.Equal(s_now, (await _host.Service.GetBypassLinksAsync()).Single().FirstUsedAt);
        Assert.All(trail, e => Assert.DoesNotContain(token, System.Text.Json.JsonSerializer.Serialize(e, MaintenanceStoreJson.AuditEntry), StringComparison.Ordinal));
        Assert.DoesNotContain(OwnLogs(), r => r.Message.Contains(token, StringComparison.Ordinal));
    }

    /// <summary>The library's own logs (ASP.NET Core's hosting log records request URLs, the link's included; the README says so).</summary>
    private IEnumerable<Microsoft.Extensions.Logging.Testing.FakeLogRecord> OwnLogs() =>
        _host.Logs.GetSnapshot().Where(r => r.Category?.StartsWith("MaintenanceMiddleware", StringComparison.Ordinal) == true);

    private async Task<MaintenanceBypassLinkCreated> CreateAsync(TimeSpan lifetime)
    {
        var created = await _host.Service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "QA Anna", Reason = "release check", Lifetime = lifetime });
        await _host.Monitor.ReloadAsync(CancellationToken.None);
        return created;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The condition was not met within 5 s.");
    }
}
