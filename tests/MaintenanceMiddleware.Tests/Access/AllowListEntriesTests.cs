using System.Net;
using System.Text;
using System.Text.Json;
using MaintenanceMiddleware.Tests.Control;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.Access;

/// <summary>
/// Allowlist entries mean the same from every front end (configuration, a window's extra networks, the HTTP body):
/// an IPv4-mapped range matches its IPv4 clients, a lenient entry is refused, a list that admits everyone is warned of.
/// </summary>
public class AllowListEntriesTests
{
    [Fact]
    public async Task Mapped_range_in_configuration_lets_its_IPv4_clients_through()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "::ffff:127.0.0.0/104");
        await host.EnableAsync();

        var ipv4 = await host.SendAsync("/", ip: IPAddress.Parse("127.0.0.1"));
        var mapped = await host.SendAsync("/", ip: IPAddress.Parse("::ffff:127.200.0.1"));
        var outside = await host.SendAsync("/", ip: IPAddress.Parse("128.0.0.1"));

        Assert.Equal(200, ipv4.Response.StatusCode);
        Assert.Equal(RequestTestHost.RealSite, ipv4.BodyText());
        Assert.Equal(200, mapped.Response.StatusCode);
        Assert.Equal(503, outside.Response.StatusCode);
    }

    [Fact]
    public async Task Mapped_range_given_to_a_window_is_stored_as_IPv4_and_lets_its_clients_through()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync(allowedNetworks: ["::ffff:127.0.0.0/104"]);

        var status = await host.Service.GetStatusAsync(RequestTestHostSetup.Application);
        Assert.Equal(["127.0.0.0/8"], status.Own.AllowedNetworks);
        Assert.Equal(200, (await host.SendAsync("/", ip: IPAddress.Loopback)).Response.StatusCode);
        Assert.Equal(503, (await host.SendAsync("/", ip: IPAddress.Parse("128.0.0.1"))).Response.StatusCode);
    }

    [Fact]
    public async Task Mapped_range_in_the_HTTP_body_is_stored_as_IPv4()
    {
        var store = new InMemoryMaintenanceStateStore();
        await using var app = await EndpointsTestHost.StartAsync(store: store);

        var context = await EnableOverHttpAsync(app.GetTestServer(), """["::ffff:127.0.0.0/104"]""");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        var entry = Assert.Single(await store.GetAuditTrailAsync());
        Assert.Equal(["127.0.0.0/8"], entry.After.AllowedNetworks);
    }

    [Theory]
    [InlineData("127.1", "Entry 1: '127.1' is a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("fe80::%eth0/64", "Entry 1: 'fe80::%eth0/64' has a zone id ('%eth0'): an allowlist entry names addresses, not interfaces; write it without the zone id.")]
    public async Task Lenient_entry_in_the_HTTP_body_is_a_400_naming_the_field(string network, string message)
    {
        var store = new InMemoryMaintenanceStateStore();
        await using var app = await EndpointsTestHost.StartAsync(store: store);

        var context = await EnableOverHttpAsync(app.GetTestServer(), $"""["10.0.0.0/8", "{network}"]""");

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        var problem = await JsonSerializer.DeserializeAsync<JsonElement>(context.Response.Body);
        Assert.Equal(message, problem.GetProperty("errors").GetProperty("allowedNetworks")[0].GetString());
        Assert.Empty(await store.GetAuditTrailAsync());
    }

    [Theory]
    [InlineData("2130706433", "MaintenanceMode:AllowedNetworks:1: '2130706433' is a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("0x7f.1", "MaintenanceMode:AllowedNetworks:1: '0x7f.1' is a legacy IPv4 form (read as 127.0.0.1 here, differently or not at all by other tools): write the address as four decimal parts 0-255 without leading zeros.")]
    [InlineData("fe80::%eth0/64", "MaintenanceMode:AllowedNetworks:1: 'fe80::%eth0/64' has a zone id ('%eth0'): an allowlist entry names addresses, not interfaces; write it without the zone id.")]
    public async Task Lenient_entry_in_configuration_stops_startup_naming_the_key(string network, string message)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await RequestTestHost.StartAsync(s =>
            {
                s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "10.0.0.0/8";
                s.Configuration["MaintenanceMode:AllowedNetworks:1"] = network;
            });
        });

        Assert.Equal([message], ex.Failures);
    }

    [Fact]
    public async Task Allowlist_that_admits_everyone_is_warned_of_at_startup()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "10.0.0.0/8";
            s.Configuration["MaintenanceMode:AllowedNetworks:1"] = "0.0.0.0/0";
            s.Configuration["MaintenanceMode:AllowedNetworks:2"] = "::/0";
            s.Configuration["MaintenanceMode:AllowedNetworks:3"] = "::ffff:0:0/96";
        });

        var warnings = host.Logs.GetSnapshot().Where(r => r.Id.Name == "AllowListAdmitsEveryone").ToList();

        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.All(warnings, w => Assert.Equal(80, w.Id.Id));
        Assert.Equal(
            [
                "MaintenanceMode:AllowedNetworks:1 (0.0.0.0/0) lets every IPv4 address through: during maintenance no visitor on IPv4 sees the maintenance page. List the networks to let through instead.",
                "MaintenanceMode:AllowedNetworks:2 (::/0) lets every IPv6 address through: during maintenance no visitor on IPv6 sees the maintenance page. List the networks to let through instead.",
                "MaintenanceMode:AllowedNetworks:3 (::ffff:0:0/96) lets every IPv4 address through: during maintenance no visitor on IPv4 sees the maintenance page. List the networks to let through instead.",
            ],
            warnings.Select(w => w.Message));
    }

    [Fact]
    public async Task Allowlist_of_real_networks_gives_no_warning()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "0.0.0.0/1";
            s.Configuration["MaintenanceMode:AllowedNetworks:1"] = "2001:db8::/32";
        });

        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Name == "AllowListAdmitsEveryone");
    }

    private static Task<HttpContext> EnableOverHttpAsync(TestServer server, string networksJson) =>
        server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/_maintenance/enable";
            c.Request.Headers["X-Maintenance-Key"] = EndpointsTestHost.DeployKey;
            c.Request.ContentType = "application/json";
            c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes($$"""{"application":"Storefront","reason":"Release 42","allowedNetworks":{{networksJson}}}"""));
        });
}
