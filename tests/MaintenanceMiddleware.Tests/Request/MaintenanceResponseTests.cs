using System.Net;
using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Request;

public class MaintenanceResponseTests
{
    [Fact]
    public async Task Maintenance_off_passes_every_request_through()
    {
        await using var host = await RequestTestHost.StartAsync();

        var context = await host.SendAsync("/");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(RequestTestHost.RealSite, context.BodyText());
    }

    [Fact]
    public async Task Visitor_gets_503_with_the_designed_page_no_store_and_default_retry_after()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:RetryAfter"] = "00:02:00");
        await host.EnableAsync();

        var context = await host.SendAsync("/", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", context.Response.ContentType);
        Assert.Equal("no-store", context.Header("Cache-Control"));
        Assert.Equal("Accept, Accept-Language", context.Header("Vary"));
        Assert.Equal("120", context.Header("Retry-After"));
        Assert.Equal(RequestTestHostSetup.PageHtml, context.BodyText());
        Assert.Equal(RequestTestHostSetup.PageHtml.Length, context.Response.ContentLength);
    }

    [Fact]
    public async Task Json_client_gets_problem_json_with_the_public_message_and_retry_after_never_the_reason()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:DefaultMessage"] = "Database upgrade <b>now</b> & \"soon\"");
        await host.EnableAsync(reason: "CVE patch");

        var context = await host.SendAsync("/api/orders", accept: "application/json");

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal("no-store", context.Header("Cache-Control"));
        var body = context.BodyText();
        Assert.DoesNotContain("<b>", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Service Unavailable", json.RootElement.GetProperty("title").GetString());
        Assert.Equal(503, json.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("CVE patch", body, StringComparison.Ordinal);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.6.4", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("Database upgrade <b>now</b> & \"soon\"", json.RootElement.GetProperty("detail").GetString());
        Assert.Equal(300, json.RootElement.GetProperty("retryAfter").GetInt64());
        Assert.False(json.RootElement.TryGetProperty("endsAt", out _));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("*/*", false)]
    [InlineData("text/html", false)]
    [InlineData("application/json", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("application/vnd.api+json", true)]
    [InlineData("text/plain, application/json", true)]
    [InlineData("application/json;q=0.5, text/html", false)]
    [InlineData("text/html;q=0.5, application/json", true)]
    [InlineData("application/json, text/html", true)]
    [InlineData("text/html, application/json", false)]
    [InlineData("application/json;q=0, */*", false)]
    [InlineData("text/html;q=0, application/json;q=0.1", true)]
    [InlineData("APPLICATION/JSON ; q=0.9 , text/html ; q=0.8", true)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false)]
    [InlineData("application/json; profile=\"a,b\"; q=0.9, text/html; q=0.8", true)]
    [InlineData("text/html; note=\"x;q=0\", application/json; q=0.5", false)]
    [InlineData("application/json; q=0.5; charset=\"utf-8\", text/html; q=0.4", true)]
    public void Json_is_chosen_only_when_ranked_above_html(string? accept, bool json)
    {
        Assert.Equal(json, global::MaintenanceMiddleware.ResponseNegotiation.PrefersJson(accept));
    }

    [Fact]
    public void Accept_headers_sent_as_two_lines_are_read_together()
    {
        Assert.True(global::MaintenanceMiddleware.ResponseNegotiation.PrefersJson(new Microsoft.Extensions.Primitives.StringValues(["text/html;q=0.2", "application/json"])));
        Assert.False(global::MaintenanceMiddleware.ResponseNegotiation.PrefersJson(new Microsoft.Extensions.Primitives.StringValues(["text/html", "application/json;q=0.2"])));
    }

    [Fact]
    public async Task Head_gets_the_headers_with_content_length_and_no_body()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        var get = await host.SendAsync("/");
        var head = await host.SendAsync("/", method: "HEAD");

        Assert.Equal(503, head.Response.StatusCode);
        Assert.Equal("no-store", head.Header("Cache-Control"));
        Assert.NotNull(head.Header("Retry-After"));
        Assert.Equal(get.BodyText().Length, head.Response.ContentLength);
        Assert.Equal(string.Empty, head.BodyText());
    }

    [Fact]
    public async Task Retry_after_counts_down_to_the_known_end_of_the_window()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var host = await RequestTestHost.StartAsync(s => s.Time = time);
        var endsAt = time.GetUtcNow().AddMinutes(15);
        await host.EnableAsync(endsAt: endsAt);

        var first = await host.SendAsync("/", accept: "application/json");
        time.Advance(TimeSpan.FromSeconds(59.5));
        var later = await host.SendAsync("/");

        Assert.Equal("900", first.Header("Retry-After"));
        using var json = JsonDocument.Parse(first.BodyText());
        Assert.Equal(900, json.RootElement.GetProperty("retryAfter").GetInt64());
        Assert.Equal(endsAt, json.RootElement.GetProperty("endsAt").GetDateTimeOffset());
        Assert.Equal("841", later.Header("Retry-After"));
    }

    [Fact]
    public async Task Retry_after_is_at_least_one_second_just_before_the_end()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var host = await RequestTestHost.StartAsync(s => s.Time = time);
        await host.EnableAsync(endsAt: time.GetUtcNow().AddSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9.9));

        var context = await host.SendAsync("/");

        Assert.Equal("1", context.Header("Retry-After"));
    }

    [Fact]
    public async Task The_window_ending_lets_requests_through_again()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        await using var host = await RequestTestHost.StartAsync(s => s.Time = time);
        await host.EnableAsync(endsAt: time.GetUtcNow().AddMinutes(1));
        Assert.Equal(503, (await host.SendAsync("/")).Response.StatusCode);

        time.Advance(TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (host.Monitor.Current.IsActive && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(200, (await host.SendAsync("/")).Response.StatusCode);
    }

    [Theory]
    [InlineData("/.well-known/security.txt", 200)]
    [InlineData("/.WELL-KNOWN/security.txt", 200)]
    [InlineData("/health/live", 503)]
    [InlineData("/", 503)]
    public async Task Default_exempt_path_is_well_known_only(string path, int status)
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        Assert.Equal(status, (await host.SendAsync(path)).Response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live", 200)]
    [InlineData("/health", 404)]
    [InlineData("/healthz", 503)]
    [InlineData("/.well-known/security.txt", 503)]
    public async Task Configured_exempt_paths_replace_the_default_and_match_whole_segments(string path, int status)
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:ExemptPaths:0"] = "/health/");
        await host.EnableAsync();

        Assert.Equal(status, (await host.SendAsync(path)).Response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_marked_allow_during_maintenance_answers_everyone()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Endpoints = app => app.MapGet("/status", () => "up").AllowDuringMaintenance());
        await host.EnableAsync();

        var context = await host.SendAsync("/status");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("up", context.BodyText());
    }

    [Fact]
    public async Task Health_checks_marked_allow_during_maintenance_keep_answering_probes()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Services = services => services.AddHealthChecks().AddMaintenanceModeCheck();
            s.Endpoints = app => app.MapHealthChecks("/ready").AllowDuringMaintenance();
        });
        await host.EnableAsync();

        var context = await host.SendAsync("/ready");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("Healthy", context.BodyText());
    }

    [Fact]
    public async Task Attributes_on_a_handler_work_like_the_extension_methods()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "10.0.0.0/8";
            s.Endpoints = app =>
            {
                app.MapGet("/webhook", [AllowDuringMaintenance] () => "received");
                app.MapGet("/export", [DisabledDuringMaintenance] () => "exported");
            };
        });
        await host.EnableAsync();

        Assert.Equal(200, (await host.SendAsync("/webhook")).Response.StatusCode);
        Assert.Equal(503, (await host.SendAsync("/export", ip: IPAddress.Parse("10.0.0.9"))).Response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_marked_disabled_during_maintenance_refuses_safe_methods_in_read_only_mode()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Endpoints = app => app.MapGet("/report", () => "report").DisabledDuringMaintenance());
        await host.EnableAsync(mode: MaintenanceMode.ReadOnly);

        Assert.Equal(503, (await host.SendAsync("/report")).Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync("/")).Response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_marked_disabled_during_maintenance_refuses_even_allowlisted_clients()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "10.0.0.0/8";
            s.Endpoints = app => app.MapPost("/checkout", () => "paid").DisabledDuringMaintenance();
        });
        await host.EnableAsync();

        var checkout = await host.SendAsync("/checkout", method: "POST", ip: IPAddress.Parse("10.1.2.3"));
        var home = await host.SendAsync("/", method: "POST", ip: IPAddress.Parse("10.1.2.3"));

        Assert.Equal(503, checkout.Response.StatusCode);
        Assert.Equal(200, home.Response.StatusCode);
    }

    [Theory]
    [InlineData("GET", 200)]
    [InlineData("HEAD", 200)]
    [InlineData("OPTIONS", 200)]
    [InlineData("POST", 503)]
    public async Task Read_only_mode_lets_safe_methods_through(string method, int status)
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync(mode: MaintenanceMode.ReadOnly);

        Assert.Equal(status, (await host.SendAsync("/", method: method)).Response.StatusCode);
    }

    [Fact]
    public async Task Environment_wide_maintenance_takes_the_application_down()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync(reason: "Whole environment", application: MaintenanceState.AllApplications);

        var context = await host.SendAsync("/", accept: "application/json");

        Assert.Equal(503, context.Response.StatusCode);
        var body = context.BodyText();
        Assert.DoesNotContain("Whole environment", body, StringComparison.Ordinal);   // the internal reason
        Assert.Contains("The service is down for maintenance.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowlisted_client_gets_the_real_site()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "192.0.2.0/24");
        await host.EnableAsync();

        var inside = await host.SendAsync("/", ip: IPAddress.Parse("192.0.2.77"));
        var outside = await host.SendAsync("/", ip: IPAddress.Parse("192.0.3.77"));

        Assert.Equal(200, inside.Response.StatusCode);
        Assert.Equal(503, outside.Response.StatusCode);
    }

    [Fact]
    public async Task Networks_added_by_the_window_are_let_through_on_top_of_the_configured_ones()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "192.0.2.0/24");
        await host.EnableAsync(allowedNetworks: ["198.51.100.7"]);

        Assert.Equal(200, (await host.SendAsync("/", ip: IPAddress.Parse("198.51.100.7"))).Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync("/", ip: IPAddress.Parse("192.0.2.1"))).Response.StatusCode);
        Assert.Equal(503, (await host.SendAsync("/", ip: IPAddress.Parse("198.51.100.8"))).Response.StatusCode);
    }

    [Fact]
    public async Task Missing_remote_ip_is_not_allowlisted()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "0.0.0.0/0");
        await host.EnableAsync();

        var context = await host.SendAsync("/", configure: c => c.Connection.RemoteIpAddress = null);

        Assert.Equal(503, context.Response.StatusCode);
    }
}
