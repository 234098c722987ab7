using System.Net;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

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

/// <summary>
/// Forwarded headers trusted from every peer (what ASPNETCORE_FORWARDEDHEADERS_ENABLED=true sets up) would let anyone
/// claim an allowlisted address: start-up says so, and refuses in Production unless acknowledged.
/// </summary>
public class ForwardedHeadersTrustEveryPeerTests
{
    private const int TrustEveryPeerEventId = 35;

    private static Task<RequestTestHost> StartAsync(string environment, bool allowlist = true, bool acknowledged = false, bool knownProxy = false) =>
        RequestTestHost.StartAsync(s =>
        {
            s.EnvironmentName = environment;
            if (allowlist)
            {
                s.Configuration["MaintenanceMode:AllowedNetworks:0"] = "127.0.0.2";
            }

            if (acknowledged)
            {
                s.Configuration["MaintenanceMode:AllowForwardedHeadersFromAnyPeer"] = "true";
            }

            // As the host's ForwardedHeadersOptionsSetup does for ASPNETCORE_FORWARDEDHEADERS_ENABLED=true.
            s.Services = services => services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                if (knownProxy)
                {
                    o.KnownProxies.Add(IPAddress.Loopback);
                }
            });
            s.Before = app => app.UseForwardedHeaders();
        });

    [Fact]
    public async Task In_production_start_up_stops_with_a_message_naming_the_risk_and_the_fix()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("Production"));

        Assert.Contains("any visitor can send 'X-Forwarded-For: <an allowed address>'", error.Message, StringComparison.Ordinal);
        Assert.Contains("KnownProxies or KnownIPNetworks", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaintenanceMode:AllowForwardedHeadersFromAnyPeer=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Elsewhere_or_when_acknowledged_it_starts_with_a_warning_and_the_spoofed_header_still_passes()
    {
        await using var host = await StartAsync("Production", acknowledged: true);
        await host.EnableAsync();

        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == TrustEveryPeerEventId);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("KnownProxies", warning.Message, StringComparison.Ordinal);

        // What the warning is about: a stranger claiming the allowed address.
        var spoofed = await host.SendAsync("/", ip: IPAddress.Parse("203.0.113.66"), configure: c => c.Request.Headers["X-Forwarded-For"] = "127.0.0.2");
        Assert.Equal(200, spoofed.Response.StatusCode);

        await using var development = await StartAsync("Development");
        Assert.Single(development.Logs.GetSnapshot(), r => r.Id.Id == TrustEveryPeerEventId);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task Without_an_allowlist_or_with_a_known_proxy_nothing_is_said(bool allowlist, bool knownProxy)
    {
        await using var host = await StartAsync("Production", allowlist: allowlist, knownProxy: knownProxy);

        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Id == TrustEveryPeerEventId);
    }
}
