extern alias StorefrontApp;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StorefrontProgram = StorefrontApp::Program;

namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>A bypass link opened in a real Chromium on the Storefront sample during maintenance (issue 10, part 1).</summary>
public sealed class StorefrontBypassLinkTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    [Fact]
    public async Task Opening_the_link_during_maintenance_shows_the_shop_and_revoking_it_brings_the_page_back()
    {
        await using var server = new SampleServer<StorefrontProgram>().Start();
        var service = server.Services.GetRequiredService<IMaintenanceModeService>();
        await service.EnableAsync(new() { Application = "Storefront", Reason = "Release 42", Message = "Back at three." });
        var created = await service.CreateBypassLinkAsync(new() { Application = "Storefront", Name = "QA Anna", Reason = "release check", Lifetime = TimeSpan.FromHours(2) });
        await using var context = await chromium.Browser.NewContextAsync();
        context.SetDefaultTimeout(5_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();

        // The file store's watcher carries the change to the running app: the shop is down for everyone.
        await UntilStatusAsync(page, new Uri(server.BaseAddress, "/Products"), 503);

        var response = await page.GotoAsync(new Uri(server.BaseAddress, created.Path + "?return=/Products").ToString(), new() { WaitUntil = WaitUntilState.Load });

        Assert.Equal(200, response?.Status);
        Assert.Equal(new Uri(server.BaseAddress, "/Products").ToString(), page.Url);
        Assert.Equal(6, await page.Locator(".product-card").CountAsync());
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == ".MaintenanceBypass");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.InRange(cookie.Expires, DateTimeOffset.UtcNow.AddHours(1.9).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddHours(2.1).ToUnixTimeSeconds());
        Assert.False(await page.EvaluateAsync<bool>("document.cookie.includes('.MaintenanceBypass')"), "the cookie is not readable from script");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("storefront-bypass-link.png"), FullPage = true });

        await service.RevokeBypassLinkAsync(new() { Id = created.Link.Id, Reason = "done testing" });

        await UntilStatusAsync(page, new Uri(server.BaseAddress, "/Products"), 503);
        Assert.Equal("We're restocking the shelves", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        var again = await page.GotoAsync(new Uri(server.BaseAddress, created.Path).ToString());
        Assert.Equal(503, again?.Status);
    }

    private static async Task UntilStatusAsync(IPage page, Uri url, int status)
    {
        var last = 0;
        for (var i = 0; i < 100; i++)
        {
            last = (await page.GotoAsync(url.ToString()))?.Status ?? 0;
            if (last == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"{url} answered {last}, not {status}, within 10 s.");
    }
}
