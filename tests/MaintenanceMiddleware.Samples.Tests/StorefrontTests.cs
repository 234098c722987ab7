extern alias StorefrontApp;

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;
using StorefrontProgram = StorefrontApp::Program;

namespace MaintenanceMiddleware.Samples.Tests;

public sealed class StorefrontTests
{
    private static readonly Dictionary<string, string?> s_forcedOn = new() { ["MaintenanceMode:Enabled"] = "true" };

    [Theory]
    [InlineData("/", "Simple things, made well")]
    [InlineData("/Products", "The shop")]
    [InlineData("/Products/Details/3", "Merino throw")]
    [InlineData("/Cart", "Your cart is empty")]
    public async Task Pages_render_when_maintenance_is_off(string path, string expected)
    {
        await using var host = new SampleHost<StorefrontProgram>();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_product_is_404_when_maintenance_is_off()
    {
        await using var host = new SampleHost<StorefrontProgram>();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/Products/Details/999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Api_lists_the_products_as_json_when_maintenance_is_off()
    {
        await using var host = new SampleHost<StorefrontProgram>();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/api/products");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(6, json.RootElement.GetArrayLength());
        Assert.Equal("Linen apron", json.RootElement[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Adding_to_the_cart_shows_the_product_in_the_cart()
    {
        await using var host = new SampleHost<StorefrontProgram>();
        using var client = host.CreateClient(new() { HandleCookies = true, AllowAutoRedirect = true });
        using var detail = await client.GetAsync("/Products/Details/2");
        var html = await detail.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);

        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "2", ["__RequestVerificationToken"] = token });
        using var response = await client.PostAsync("/Cart?handler=Add", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cart = await response.Content.ReadAsStringAsync();
        Assert.Contains("Enamel mug", cart, StringComparison.Ordinal);
        Assert.DoesNotContain("Your cart is empty", cart, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Products")]
    [InlineData("/Products/Details/1")]
    [InlineData("/Cart")]
    public async Task Forced_on_by_configuration_pages_answer_503_with_the_designed_page(string path)
    {
        await using var host = new SampleHost<StorefrontProgram>(s_forcedOn);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore, "Cache-Control: no-store");
        Assert.NotNull(response.Headers.RetryAfter);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("We're restocking the shelves", html, StringComparison.Ordinal);
        Assert.Contains("/maintenance/style.css", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/maintenance/style.css", "text/css", "--accent")]
    [InlineData("/maintenance/illustration.svg", "image/svg+xml", "<svg")]
    public async Task Forced_on_the_page_assets_are_served(string path, string contentType, string expected)
    {
        await using var host = new SampleHost<StorefrontProgram>(s_forcedOn);
        using var client = host.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forced_on_the_api_answers_503_problem_json()
    {
        await using var host = new SampleHost<StorefrontProgram>(s_forcedOn);
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, json.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Forced_on_the_health_endpoint_stays_reachable()
    {
        await using var host = new SampleHost<StorefrontProgram>(s_forcedOn);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Switched_on_and_off_through_the_service_the_shop_closes_and_reopens()
    {
        await using var host = new SampleHost<StorefrontProgram>();
        using var client = host.CreateClient();
        var service = host.Services.GetRequiredService<IMaintenanceModeService>();
        Assert.Equal(HttpStatusCode.OK, await Eventually.StatusOfAsync(client, "/"));

        await service.EnableAsync(new() { Application = "Storefront", Reason = "Release 42" });
        await Eventually.UntilAsync(() => Eventually.StatusOfAsync(client, "/"), s => s == HttpStatusCode.ServiceUnavailable, "the shop to close");

        await service.DisableAsync(new() { Application = "Storefront", Reason = "Release 42 done" });
        await Eventually.UntilAsync(() => Eventually.StatusOfAsync(client, "/"), s => s == HttpStatusCode.OK, "the shop to reopen");
    }

    [Fact]
    public async Task Pointed_at_a_state_file_the_shop_follows_what_another_process_writes_there()
    {
        var directory = Directory.CreateTempSubdirectory("mm-samples-");
        try
        {
            var statePath = Path.Combine(directory.FullName, "state.json");
            await using var host = new SampleHost<StorefrontProgram>(
                new Dictionary<string, string?> { ["MaintenanceMode:FileStore:Path"] = statePath },
                inMemoryStore: false);
            using var client = host.CreateClient();
            Assert.Equal(HttpStatusCode.OK, await Eventually.StatusOfAsync(client, "/"));

            // Another writer of the same file, as the `maintenance` CLI is: its own store and service, not the app's.
            var other = MaintenanceModeServiceFactory.Create(
                new FileMaintenanceStateStore(new FileStoreOptions { Path = statePath }),
                new MaintenanceModeOptions { Application = "Storefront" });

            await other.EnableAsync(new() { Application = "Storefront", Reason = "Release 42", Duration = TimeSpan.FromMinutes(15) });
            await Eventually.UntilAsync(() => Eventually.StatusOfAsync(client, "/"), s => s == HttpStatusCode.ServiceUnavailable, "the shop to close", TimeSpan.FromSeconds(5));
            Assert.True(File.Exists(statePath), "the state file exists where MaintenanceMode:FileStore:Path points");

            await other.DisableAsync(new() { Application = "Storefront", Reason = "Release 42 done" });
            await Eventually.UntilAsync(() => Eventually.StatusOfAsync(client, "/"), s => s == HttpStatusCode.OK, "the shop to reopen", TimeSpan.FromSeconds(5));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
