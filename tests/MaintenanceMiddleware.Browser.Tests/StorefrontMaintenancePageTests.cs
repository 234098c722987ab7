extern alias StorefrontApp;

using Microsoft.Playwright;
using StorefrontProgram = StorefrontApp::Program;

namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>The Storefront sample seen by a real headless Chromium, with maintenance on and off.</summary>
public sealed class StorefrontMaintenancePageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly Dictionary<string, string?> s_forcedOn = new() { ["MaintenanceMode:Enabled"] = "true" };

    private static string ScreenshotPath(string name) => Screenshots.PathFor(name);

    [Theory]
    [InlineData(ColorScheme.Light, "rgb(246, 239, 230)", "rgb(47, 39, 35)")]
    [InlineData(ColorScheme.Dark, "rgb(27, 23, 20)", "rgb(244, 236, 227)")]
    public async Task Maintenance_on_the_browser_gets_503_and_the_designed_page_with_its_css_and_image(ColorScheme scheme, string background, string ink)
    {
        await using var server = new SampleServer<StorefrontProgram>(s_forcedOn).Start();
        await using var context = await chromium.Browser.NewContextAsync(new() { ColorScheme = scheme, ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();
        var assets = new Dictionary<string, int>();
        page.Response += (_, r) => assets[new Uri(r.Url).AbsolutePath] = r.Status;

        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/Products").ToString(), new() { WaitUntil = WaitUntilState.Load });

        Assert.NotNull(response);
        Assert.Equal(503, response.Status);
        Assert.Equal("Back soon · Hearth & Field", await page.TitleAsync());
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        Assert.True(await heading.IsVisibleAsync(), "the page's heading is visible");
        Assert.Equal("We're restocking the shelves", await heading.InnerTextAsync());

        // style.css was fetched from /maintenance/ and applied (the colours come only from it, per colour scheme).
        Assert.Equal(200, assets.GetValueOrDefault("/maintenance/style.css"));
        Assert.Equal(background, await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        Assert.Equal(ink, await page.EvaluateAsync<string>("getComputedStyle(document.body).color"));
        Assert.Equal("grid", await page.EvaluateAsync<string>("getComputedStyle(document.body).display"));

        // The illustration loaded and has alt text.
        Assert.Equal(200, assets.GetValueOrDefault("/maintenance/illustration.svg"));
        var image = page.Locator("img.illustration");
        Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the illustration loaded");
        Assert.False(string.IsNullOrWhiteSpace(await image.GetAttributeAsync("alt")), "the illustration has alt text");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));

        await page.ScreenshotAsync(new() { Path = ScreenshotPath($"storefront-maintenance-{scheme.ToString().ToLowerInvariant()}.png"), FullPage = true });
    }

    [Fact]
    public async Task Maintenance_on_the_page_fits_a_phone_screen()
    {
        await using var server = new SampleServer<StorefrontProgram>(s_forcedOn).Start();
        await using var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 375, Height = 740 }, IsMobile = true });
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(server.BaseAddress.ToString(), new() { WaitUntil = WaitUntilState.Load });

        Assert.Equal(503, response?.Status);
        // Nothing scrolls sideways, and the card sits inside the screen.
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "no horizontal scrolling");
        var card = await page.Locator("main.card").BoundingBoxAsync();
        Assert.NotNull(card);
        Assert.InRange(card.X, 0, 375);
        Assert.InRange(card.X + card.Width, 0, 375);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("storefront-maintenance-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task Maintenance_off_the_shop_home_renders()
    {
        await using var server = new SampleServer<StorefrontProgram>().Start();
        await using var context = await chromium.Browser.NewContextAsync(new() { ColorScheme = ColorScheme.Light });
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(server.BaseAddress.ToString(), new() { WaitUntil = WaitUntilState.Load });

        Assert.Equal(200, response?.Status);
        Assert.Equal("Home · Hearth & Field", await page.TitleAsync());
        Assert.Equal("Simple things, made well", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Equal(3, await page.Locator(".product-card").CountAsync());
        // The shop's own stylesheet applied, not the maintenance one.
        Assert.Equal("rgb(251, 247, 241)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Browse the shop" }).ClickAsync();
        await page.WaitForURLAsync("**/Products");
        Assert.Equal(6, await page.Locator(".product-card").CountAsync());
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("storefront-shop.png"), FullPage = true });
    }

    [Fact]
    public async Task Maintenance_on_a_visitor_from_an_allowed_network_sees_the_shop()
    {
        await using var server = new SampleServer<StorefrontProgram>(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Enabled"] = "true",
            ["MaintenanceMode:AllowedNetworks:0"] = "127.0.0.1",
        }).Start();
        await using var context = await chromium.Browser.NewContextAsync();
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(server.BaseAddress.ToString(), new() { WaitUntil = WaitUntilState.Load });

        Assert.Equal(200, response?.Status);
        Assert.Equal("Simple things, made well", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
    }
}
