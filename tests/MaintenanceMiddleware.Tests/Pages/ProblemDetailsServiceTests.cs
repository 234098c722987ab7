using System.Text.Json;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>The 503 problem+json through the application's IProblemDetailsService, and one type URI family.</summary>
public class ProblemDetailsServiceTests
{
    [Fact]
    public async Task With_AddProblemDetails_the_503_goes_through_the_service_and_its_customisation()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Services = services => services.AddProblemDetails(o =>
            o.CustomizeProblemDetails = c => c.ProblemDetails.Extensions["shop"] = "Hearth & Field"));
        await host.EnableAsync(reason: "CVE patch");

        var context = await host.SendAsync("/api/orders", accept: "application/json");

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal("300", context.Header("Retry-After"));
        using var json = JsonDocument.Parse(context.BodyText());
        Assert.Equal("Hearth & Field", json.RootElement.GetProperty("shop").GetString());
        Assert.True(json.RootElement.TryGetProperty("traceId", out _), "the service adds the traceId");
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.6.4", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("The service is down for maintenance.", json.RootElement.GetProperty("detail").GetString());
        Assert.Equal(300, json.RootElement.GetProperty("retryAfter").GetInt64());
    }

    [Fact]
    public async Task Without_the_service_the_cached_body_has_no_trace_id()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        using var json = JsonDocument.Parse((await host.SendAsync("/", accept: "application/json")).BodyText());

        Assert.False(json.RootElement.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task The_503_type_is_the_one_the_framework_gives_every_503_problem()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Endpoints = app =>
            app.MapGet("/framework-503", () => TypedResults.Problem(statusCode: 503)).AllowDuringMaintenance());
        await host.EnableAsync();

        using var ours = JsonDocument.Parse((await host.SendAsync("/", accept: "application/json")).BodyText());
        using var framework = JsonDocument.Parse((await host.SendAsync("/framework-503", accept: "application/json")).BodyText());

        Assert.Equal(framework.RootElement.GetProperty("type").GetString(), ours.RootElement.GetProperty("type").GetString());
        Assert.Equal(framework.RootElement.GetProperty("title").GetString(), ours.RootElement.GetProperty("title").GetString());
    }
}
