extern alias StorefrontApp;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StorefrontProgram = StorefrontApp::Program;

namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>The advance-notice banner (/_maintenance/notice.js in the Storefront layout) and the German page, in real Chromium.</summary>
public sealed class StorefrontNoticeBannerTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static async Task ScheduleAsync(SampleServer<StorefrontProgram> server, DateTimeOffset startsAt, DateTimeOffset endsAt, MaintenanceMode mode = MaintenanceMode.Full)
    {
        var store = server.Services.GetRequiredService<IMaintenanceStateStore>();
        var window = new MaintenanceState
        {
            Application = "Storefront",
            Enabled = true,
            Reason = "CVE patch",
            Message = "New checkout coming.",
            StartsAt = startsAt,
            EndsAt = endsAt,
            Mode = mode,
            Version = 1,
        };
        await store.SaveAsync(window, 0, new MaintenanceAuditEntry
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = MaintenanceAction.Enable,
            Application = "Storefront",
            Reason = "CVE patch",
            Actor = "browser-test",
            Source = "test",
            Before = MaintenanceState.Off("Storefront"),
            After = window,
        });

        // The file store's watcher reports the write; wait until this instance announces it.
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await client.GetAsync("/_maintenance/notice")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the notice announced the window");
            await Task.Delay(50);
        }
    }

    private async Task<IBrowserContext> NewContextAsync(string? locale = null)
    {
        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, Locale = locale, TimezoneId = "UTC" });
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        return context;
    }

    [Fact]
    public async Task Window_ten_minutes_ahead_shows_a_dismissible_banner_on_the_open_shop()
    {
        await using var server = new SampleServer<StorefrontProgram>().Start();
        var start = DateTimeOffset.UtcNow.AddMinutes(10);
        await ScheduleAsync(server, start, start.AddMinutes(30));
        await using var context = await NewContextAsync("en-GB");
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(server.BaseAddress.ToString());
        var banner = page.Locator("#maintenance-notice");
        await banner.WaitForAsync(new() { State = WaitForSelectorState.Visible });

        Assert.Equal(200, response?.Status);
        Assert.Equal("Simple things, made well", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var text = await banner.Locator(".maintenance-notice-text").InnerTextAsync();
        Assert.StartsWith("We will be down for maintenance from ", text, StringComparison.Ordinal);
        var from = text.IndexOf(start.UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var to = text.IndexOf(" to ", StringComparison.Ordinal);
        Assert.InRange(from, 0, to);
        Assert.Contains(start.AddMinutes(30).UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), text[to..], StringComparison.Ordinal);
        Assert.EndsWith("New checkout coming.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CVE patch", text, StringComparison.Ordinal);
        Assert.Equal("status", await banner.GetAttributeAsync("role"));
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("storefront-notice-banner.png") });

        await page.GetByRole(AriaRole.Button, new() { Name = "Dismiss the maintenance notice" }).ClickAsync();
        Assert.Equal(0, await banner.CountAsync());
        await page.ReloadAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(0, await page.Locator("#maintenance-notice").CountAsync());   // dismissed for this window
    }

    [Fact]
    public async Task Window_starting_in_a_few_seconds_shows_the_banner_then_the_maintenance_page_at_its_start()
    {
        await using var server = new SampleServer<StorefrontProgram>().Start();
        var start = DateTimeOffset.UtcNow.AddSeconds(6);
        await ScheduleAsync(server, start, start.AddMinutes(30));
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        var before = await page.GotoAsync(server.BaseAddress.ToString());
        await page.Locator("#maintenance-notice").WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.Equal(200, before?.Status);

        var wait = start - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var after = await page.ReloadAsync();

        Assert.Equal(503, after?.Status);
        Assert.Equal("We're restocking the shelves", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.Equal("New checkout coming.", await page.Locator("p.message").InnerTextAsync());
        Assert.True(await page.Locator("p.reopens").IsVisibleAsync(), "the page says when the shop reopens");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("storefront-window-started.png"), FullPage = true });
    }

    [Fact]
    public async Task Allowlisted_visitor_during_maintenance_sees_the_shop_and_why()
    {
        await using var server = new SampleServer<StorefrontProgram>(new Dictionary<string, string?>
        {
            ["MaintenanceMode:Enabled"] = "true",
            ["MaintenanceMode:AllowedNetworks:0"] = "127.0.0.1",
        }).Start();
        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(server.BaseAddress.ToString());
        var banner = page.Locator("#maintenance-notice .maintenance-notice-text");
        await banner.WaitForAsync(new() { State = WaitForSelectorState.Visible });

        Assert.Equal(200, response?.Status);
        Assert.Equal("Maintenance is in progress. You see the site because your network is let through during maintenance.", await banner.InnerTextAsync());
    }

    [Fact]
    public async Task Read_only_window_in_force_tells_every_visitor_the_site_is_read_only()
    {
        await using var server = new SampleServer<StorefrontProgram>().Start();
        await ScheduleAsync(server, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(30), MaintenanceMode.ReadOnly);
        await using var context = await NewContextAsync("en-GB");
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(server.BaseAddress.ToString());
        var banner = page.Locator("#maintenance-notice .maintenance-notice-text");
        await banner.WaitForAsync(new() { State = WaitForSelectorState.Visible });

        Assert.Equal(200, response?.Status);   // reads pass in read-only mode
        Assert.StartsWith("The site is read-only for maintenance until ", await banner.InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task German_browser_gets_the_german_maintenance_page()
    {
        await using var server = new SampleServer<StorefrontProgram>(new Dictionary<string, string?> { ["MaintenanceMode:Enabled"] = "true" }).Start();
        await using var context = await NewContextAsync("de-DE");
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/Products").ToString(), new() { WaitUntil = WaitUntilState.Load });

        Assert.Equal(503, response?.Status);
        Assert.Equal("de", (await response!.AllHeadersAsync())["content-language"]);
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal("Wir füllen die Regale auf", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        Assert.True(await page.Locator("img.illustration").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the shared illustration loaded");
        Assert.False(await page.Locator("p.reopens").IsVisibleAsync(), "no end known: no reopening time");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("storefront-maintenance-de.png"), FullPage = true });
    }
}
