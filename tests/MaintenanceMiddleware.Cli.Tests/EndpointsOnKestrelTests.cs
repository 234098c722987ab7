using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>The endpoints on a real server, where a chunked body has no Content-Length and Kestrel enforces the limit.</summary>
public sealed class EndpointsOnKestrelTests
{
    [Fact]
    public async Task Chunked_body_over_64_KiB_gets_413_problem_and_changes_nothing()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var json = """{"application":"Storefront","reason":"x"}""" + new string(' ', 64 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_maintenance/enable")
        {
            Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(json))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, KestrelTestHost.PipelineKey);

        using var response = await http.SendAsync(request);

        Assert.True(request.Headers.TransferEncodingChunked ?? request.Content.Headers.ContentLength is null);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await host.App.Services.GetRequiredService<IMaintenanceStateStore>().GetAuditTrailAsync());
    }

    [Fact]
    public async Task Chunked_body_under_the_limit_is_read()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_maintenance/enable")
        {
            Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes("""{"application":"Storefront","reason":"chunked"}"""))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, KestrelTestHost.PipelineKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("chunked", (await response.Content.ReadFromJsonAsync<MaintenanceState>())!.Reason);
    }

    [Fact]
    public async Task Validation_errors_read_as_HttpValidationProblemDetails()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_maintenance/enable") { Content = JsonContent.Create(new { reason = "x", duration = "soon" }) };
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, KestrelTestHost.PipelineKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>();
        Assert.Equal("'soon' is not a duration; use e.g. 90s, 30m, 2h, 1d or 1h30m.", Assert.Single(problem!.Errors["duration"]));
    }

    /// <summary>A stream that hides its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
