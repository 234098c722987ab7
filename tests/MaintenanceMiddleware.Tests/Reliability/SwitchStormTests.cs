using System.Collections.Concurrent;
using System.Net;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Tests.Reliability;

/// <summary>
/// A switch storm on a real Kestrel server on loopback: maintenance toggled as fast as the store takes it while
/// clients keep requesting. Bounded in count and time (a few seconds).
/// </summary>
public class SwitchStormTests
{
    private const int Switches = 150;
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Under_a_switch_storm_every_answer_is_the_real_site_or_the_complete_page_and_never_an_error()
    {
        var root = RequestTestHost.NewContentRoot();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root, EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MaintenanceMode:Application"] = RequestTestHostSetup.Application });
        builder.Services.AddMaintenanceMode(builder.Configuration.GetSection("MaintenanceMode")).UseInMemoryStore();
        await using var app = builder.Build();
        app.UseMaintenanceMode();
        app.MapGet("/", () => RequestTestHost.RealSite);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var service = app.Services.GetRequiredService<IMaintenanceModeService>();

        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(5) };
        using var stop = new CancellationTokenSource(s_limit);
        var outcomes = new ConcurrentDictionary<string, int>();
        var requests = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync(new Uri("/", UriKind.Relative), CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var outcome = (response.StatusCode, body) switch
                {
                    (HttpStatusCode.OK, RequestTestHost.RealSite) => "200 real site",
                    (HttpStatusCode.ServiceUnavailable, RequestTestHostSetup.PageHtml) when response.Content.Headers.ContentLength == body.Length => "503 complete page",
                    _ => $"{(int)response.StatusCode} unexpected ({body.Length} chars)",
                };
                outcomes.AddOrUpdate(outcome, 1, static (_, n) => n + 1);
            }
        })).ToArray();

        var switched = 0;
        for (; switched < Switches && !stop.IsCancellationRequested; switched++)
        {
            if (switched % 2 == 0)
            {
                await service.EnableAsync(new EnableMaintenanceRequest { Application = RequestTestHostSetup.Application, Reason = $"storm {switched}" });
            }
            else
            {
                await service.DisableAsync(new DisableMaintenanceRequest { Application = RequestTestHostSetup.Application, Reason = $"storm {switched}" });
            }

            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Task.WhenAll(requests);
        await app.StopAsync();

        Assert.Equal(Switches, switched);
        Assert.Equal(["200 real site", "503 complete page"], outcomes.Keys.Order(StringComparer.Ordinal));
        Assert.True(outcomes.Values.Sum() > 200, $"only {outcomes.Values.Sum()} requests were made");
        var audit = await service.GetAuditTrailAsync(RequestTestHostSetup.Application, limit: 1000);
        Assert.Equal(Switches, audit.Count);
    }
}
