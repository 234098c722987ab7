extern alias BackOfficeApp;

using Microsoft.Playwright;
using BackOfficeProgram = BackOfficeApp::Program;

namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>The BackOffice sample seen by a real headless Chromium, with maintenance on and off.</summary>
public sealed class BackOfficeMaintenancePageTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Maintenance_on_the_browser_gets_503_and_the_admin_page_with_its_css_and_image()
    {
        await using var server = new SampleServer<BackOfficeProgram>(new Dictionary<string, string?> { ["MaintenanceMode:Enabled"] = "true" }).Start();
        await using var context = await chromium.Browser.NewContextAsync(new() { ColorScheme = ColorScheme.Light, ViewportSize = new() { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/Orders").ToString(), new() { WaitUntil = WaitUntilState.Load });

        Assert.Equal(503, response?.Status);
        Assert.Equal("Back Office under maintenance", await page.TitleAsync());
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        Assert.True(await heading.IsVisibleAsync(), "the page's heading is visible");
        Assert.Equal("The Back Office is under maintenance", await heading.InnerTextAsync());
        // #e9edf5 from the BackOffice's own style.css, and its dark header bar.
        Assert.Equal("rgb(233, 237, 245)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        Assert.Equal("rgb(28, 36, 51)", await page.Locator(".panel-head").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.True(await page.Locator("img.illustration").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the illustration loaded");

        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("backoffice-maintenance.png"), FullPage = true });
    }

    [Fact]
    public async Task Maintenance_off_the_dashboard_renders_and_the_sync_has_run()
    {
        await using var server = new SampleServer<BackOfficeProgram>(new Dictionary<string, string?>
        {
            ["CatalogueSync:SimulatedLatency"] = "00:00:00.010",
        }).Start();
        await using var context = await chromium.Browser.NewContextAsync(new() { ColorScheme = ColorScheme.Light });
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/Catalogue").ToString(), new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal(200, response?.Status);
        // The first full sync (8 pages of 5 at 10 ms) fills the catalogue; reload until it shows.
        for (var attempt = 0; attempt < 50 && await page.Locator("table.grid tbody tr").CountAsync() == 0; attempt++)
        {
            await Task.Delay(100);
            await page.ReloadAsync();
        }

        Assert.Equal(40, await page.Locator("table.grid tbody tr").CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        Assert.Equal("Dashboard", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("backoffice-dashboard.png"), FullPage = true });
    }
}
