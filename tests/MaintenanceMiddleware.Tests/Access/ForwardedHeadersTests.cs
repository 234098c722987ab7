using System.Net;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace MaintenanceMiddleware.Tests.Access;

/// <summary>
/// The middleware reads Connection.RemoteIpAddress only; trusting X-Forwarded-For is the host's decision through
/// UseForwardedHeaders with known proxies.
/// </summary>
public class ForwardedHeadersTests
{
    private static readonly IPAddress s_proxy = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress s_stranger = IPAddress.Parse("203.0.113.66");

    private static Task<RequestTestHost> StartBehindProxyAsync(Action<ForwardedHeadersOptions> trust) =>
        RequestTestHost.StartAsync(s =>
        {
            s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "127.0.0.2";
            s.Before = app =>
            {
                var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor };
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                trust(options);
                app.UseForwardedHeaders(options);
            };
        });

    [Fact]
    public async Task Allowlisted_client_behind_a_known_proxy_gets_the_real_site()
    {
        await using var host = await StartBehindProxyAsync(o => o.KnownProxies.Add(s_proxy));
        await host.EnableAsync();

        var context = await host.SendAsync("/", ip: s_proxy, configure: c => c.Request.Headers["X-Forwarded-For"] = "127.0.0.2");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(RequestTestHost.RealSite, context.BodyText());
    }

    [Fact]
    public async Task Allowlisted_client_behind_a_known_proxy_network_gets_the_real_site()
    {
        await using var host = await StartBehindProxyAsync(o => o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("10.20.0.0/16")));
        await host.EnableAsync();

        var context = await host.SendAsync("/", ip: IPAddress.Parse("10.20.3.4"), configure: c => c.Request.Headers["X-Forwarded-For"] = "127.0.0.2");

        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task Forwarded_header_from_an_untrusted_peer_lets_no_one_in()
    {
        await using var host = await StartBehindProxyAsync(o => o.KnownProxies.Add(s_proxy));
        await host.EnableAsync();

        var context = await host.SendAsync("/", ip: s_stranger, configure: c => c.Request.Headers["X-Forwarded-For"] = "127.0.0.2");

        Assert.Equal(503, context.Response.StatusCode);
    }

    [Fact]
    public async Task Known_proxy_forwarding_a_client_outside_the_allowlist_gets_503()
    {
        await using var host = await StartBehindProxyAsync(o => o.KnownProxies.Add(s_proxy));
        await host.EnableAsync();

        var context = await host.SendAsync("/", ip: s_proxy, configure: c => c.Request.Headers["X-Forwarded-For"] = "198.51.100.1");

        Assert.Equal(503, context.Response.StatusCode);
    }

    [Fact]
    public async Task Without_forwarded_headers_middleware_the_header_is_ignored()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "127.0.0.2");
        await host.EnableAsync();

        var spoofed = await host.SendAsync("/", ip: s_stranger, configure: c => c.Request.Headers["X-Forwarded-For"] = "127.0.0.2");
        var real = await host.SendAsync("/", ip: IPAddress.Parse("127.0.0.2"));

        Assert.Equal(503, spoofed.Response.StatusCode);
        Assert.Equal(200, real.Response.StatusCode);
    }
}
