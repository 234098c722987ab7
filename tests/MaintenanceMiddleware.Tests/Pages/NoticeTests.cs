using System.Net;
using System.Text.Json;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>GET /_maintenance/notice and /_maintenance/notice.js, served on every app, anonymous.</summary>
public class NoticeTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(RequestTestHost Host, InMemoryMaintenanceStateStore Store, FakeTimeProvider Time)> StartAsync(Action<RequestTestHostSetup>? configure = null)
    {
        var store = new InMemoryMaintenanceStateStore();
        var time = new FakeTimeProvider(s_now);
        var host = await RequestTestHost.StartAsync(s =>
        {
            s.Store = store;
            s.Time = time;
            configure?.Invoke(s);
        });
        return (host, store, time);
    }

    [Fact]
    public async Task Nothing_planned_gives_204_cacheable_for_30_seconds()
    {
        var (host, _, _) = await StartAsync();
        await using var _host = host;

        var context = await host.SendAsync("/_maintenance/notice");

        Assert.Equal(204, context.Response.StatusCode);
        Assert.Equal("public, max-age=30", context.Header("Cache-Control"));
        Assert.Equal(string.Empty, context.BodyText());
    }

    [Fact]
    public async Task Window_ahead_within_the_lead_is_announced_with_the_public_message_never_the_reason()
    {
        var (host, store, _) = await StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "192.0.2.0/24");
        await using var _host = host;
        await PageTestState.SaveAsync(host, store, PageTestState.Window(message: "New checkout", startsAt: s_now.AddMinutes(10), endsAt: s_now.AddMinutes(40)));

        var visitor = await host.SendAsync("/_maintenance/notice");
        var office = await host.SendAsync("/_maintenance/notice", ip: IPAddress.Parse("192.0.2.9"));
        var site = await host.SendAsync("/");

        Assert.Equal(200, visitor.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", visitor.Response.ContentType);
        Assert.Equal("public, max-age=30", visitor.Header("Cache-Control"));
        Assert.Equal(
            "{\"application\":\"Storefront\",\"inForce\":false,\"startsAt\":\"2026-12-01T12:10:00Z\",\"endsAt\":\"2026-12-01T12:40:00Z\",\"mode\":\"Full\",\"message\":\"New checkout\",\"letThrough\":false}",
            visitor.BodyText());
        using var json = JsonDocument.Parse(office.BodyText());
        Assert.True(json.RootElement.GetProperty("letThrough").GetBoolean());
        Assert.Equal(200, site.Response.StatusCode);   // announced, not yet down
    }

    [Fact]
    public async Task Window_beyond_the_lead_is_not_announced_until_it_comes_within_it()
    {
        var (host, store, time) = await StartAsync(s => s.Configuration["MaintenanceMode:NoticeLead"] = "01:00:00");
        await using var _host = host;
        await PageTestState.SaveAsync(host, store, PageTestState.Window(startsAt: s_now.AddHours(2)));

        var early = await host.SendAsync("/_maintenance/notice");
        time.Advance(TimeSpan.FromMinutes(61));
        var within = await host.SendAsync("/_maintenance/notice");

        Assert.Equal(204, early.Response.StatusCode);
        Assert.Equal(200, within.Response.StatusCode);
    }

    [Fact]
    public async Task During_maintenance_the_notice_still_answers_and_says_who_is_let_through()
    {
        var (host, _, _) = await StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "192.0.2.0/24");
        await using var _host = host;
        await host.EnableAsync(reason: "CVE patch", endsAt: s_now.AddHours(1));

        var visitor = await host.SendAsync("/_maintenance/notice");
        var office = await host.SendAsync("/_maintenance/notice", ip: IPAddress.Parse("192.0.2.9"));

        Assert.Equal(200, visitor.Response.StatusCode);
        var body = visitor.BodyText();
        Assert.DoesNotContain("CVE patch", body, StringComparison.Ordinal);
        Assert.Equal(
            "{\"application\":\"Storefront\",\"inForce\":true,\"startsAt\":null,\"endsAt\":\"2026-12-01T13:00:00Z\",\"mode\":\"Full\",\"message\":null,\"letThrough\":false}",
            body);
        Assert.Contains("\"letThrough\":true", office.BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Banner_script_is_self_contained_javascript()
    {
        var (host, _, _) = await StartAsync();
        await using var _host = host;

        var context = await host.SendAsync("/_maintenance/notice.js");
        var script = context.BodyText();

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("text/javascript; charset=utf-8", context.Response.ContentType);
        Assert.Equal("nosniff", context.Header("X-Content-Type-Options"));
        Assert.Contains("We will be down for maintenance from ", script, StringComparison.Ordinal);
        Assert.DoesNotContain("http", script, StringComparison.OrdinalIgnoreCase);   // no external resource
        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);        // the message is text, never markup
    }

    [Fact]
    public async Task App_without_endpoint_routing_gets_the_notice_too()
    {
        using var app = new HostBuilder().ConfigureWebHost(web => web
            .UseTestServer()
            .ConfigureServices(s => s.AddMaintenanceMode(o => o.Application = "Storefront").UseInMemoryStore())
            .Configure(a =>
            {
                a.UseMaintenanceMode();
                a.Run(c => c.Response.WriteAsync("real site"));
            })).Build();
        await app.StartAsync();

        var notice = await app.GetTestServer().SendAsync(c => c.Request.Path = "/_maintenance/notice");
        var site = await app.GetTestServer().SendAsync(c => c.Request.Path = "/");

        Assert.Equal(204, notice.Response.StatusCode);
        Assert.Equal(200, site.Response.StatusCode);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("400.00:00:00")]
    public async Task Notice_lead_out_of_range_stops_start_up_naming_the_key(string lead)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:NoticeLead"] = lead);
        });

        Assert.Contains($"MaintenanceMode:NoticeLead: '{TimeSpan.Parse(lead, System.Globalization.CultureInfo.InvariantCulture)}' must be between 00:00:00 and 366 days", error.Message, StringComparison.Ordinal);
    }
}
