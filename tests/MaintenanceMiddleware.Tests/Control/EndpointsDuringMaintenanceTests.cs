using System.Net;
using System.Text;
using MaintenanceMiddleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Control;

public class EndpointsDuringMaintenanceTests
{
    [Fact]
    public async Task Endpoints_keep_working_while_maintenance_is_on_and_can_switch_it_off()
    {
        await using var app = await EndpointsTestHost.StartAsync(configureBuilder: b => b.Services.AddRouting());
        app.MapGet("/", () => "home");
        var server = app.GetTestServer();

        var enable = await PostAsync(server, "/_maintenance/enable", """{"application":"*","reason":"Release 42"}""", EndpointsTestHost.DeployKey, "192.0.2.10");
        Assert.Equal(StatusCodes.Status200OK, enable.Response.StatusCode);
        await WaitUntilAsync(async () => (await GetAsync(server, "/", null, "192.0.2.10")).Response.StatusCode == StatusCodes.Status503ServiceUnavailable);

        var status = await GetAsync(server, "/_maintenance/status", EndpointsTestHost.DeployKey, "192.0.2.10");
        Assert.Equal(StatusCodes.Status200OK, status.Response.StatusCode);

        var disable = await PostAsync(server, "/_maintenance/disable", """{"application":"*","reason":"Release 42 done"}""", EndpointsTestHost.DeployKey, "192.0.2.10");
        Assert.Equal(StatusCodes.Status200OK, disable.Response.StatusCode);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("192.0.2.10")]
    public async Task Without_credentials_it_is_401_during_maintenance_also_from_an_allowlisted_ip(string clientIp)
    {
        var store = new InMemoryMaintenanceStateStore();
        await store.SaveAsync(
            new MaintenanceState { Application = "*", Enabled = true, Reason = "Release", Version = 1 },
            0,
            new MaintenanceMiddleware.MaintenanceAuditEntry
            {
                Timestamp = DateTimeOffset.UtcNow, Action = MaintenanceMiddleware.MaintenanceAction.Enable, Application = "*", Reason = "Release",
                Actor = "test", Source = "test", Before = MaintenanceState.Off("*"), After = new MaintenanceState { Application = "*", Enabled = true, Version = 1 },
            });
        await using var app = await EndpointsTestHost.StartAsync(store: store, configureOptions: o => o.AllowedNetworks.Add("10.0.0.0/8"));
        var server = app.GetTestServer();

        var anonymous = await GetAsync(server, "/_maintenance/status", null, clientIp);
        var wrongKey = await PostAsync(server, "/_maintenance/disable", """{"application":"*","reason":"x"}""", "wrong", clientIp);

        Assert.Equal(StatusCodes.Status401Unauthorized, anonymous.Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, wrongKey.Response.StatusCode);
        Assert.Single(await store.GetAuditTrailAsync());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 5 s.");
            await Task.Delay(20);
        }
    }

    private static Task<HttpContext> GetAsync(TestServer server, string path, string? key, string ip) => server.SendAsync(c =>
    {
        c.Request.Method = "GET";
        c.Request.Path = path;
        if (key is not null)
        {
            c.Request.Headers[MaintenanceApiKeyDefaults.HeaderName] = key;
        }

        c.Connection.RemoteIpAddress = IPAddress.Parse(ip);
    });

    private static Task<HttpContext> PostAsync(TestServer server, string path, string json, string key, string ip) => server.SendAsync(c =>
    {
        c.Request.Method = "POST";
        c.Request.Path = path;
        c.Request.ContentType = "application/json";
        c.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        c.Request.Headers[MaintenanceApiKeyDefaults.HeaderName] = key;
        c.Connection.RemoteIpAddress = IPAddress.Parse(ip);
    });
}
