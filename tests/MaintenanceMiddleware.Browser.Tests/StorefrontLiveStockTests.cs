extern alias StorefrontApp;

using System.Collections.Concurrent;
using System.Diagnostics;
using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using StorefrontProgram = StorefrontApp::Program;

namespace MaintenanceMiddleware.Browser.Tests;

/// <summary>
/// The product page's live stock (server-sent events, samples/Storefront/Catalog/StockFeed.cs) in a real Chromium
/// when maintenance starts: the stream is ended once MaintenanceMode:DrainTimeout has passed, not before, and the
/// next navigation shows the maintenance page.
/// </summary>
public sealed class StorefrontLiveStockTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan s_drainTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Maintenance_starting_ends_the_live_stock_stream_within_the_drain_timeout_and_the_next_navigation_shows_the_maintenance_page()
    {
        await using var server = new SampleServer<StorefrontProgram>(new Dictionary<string, string?>
        {
            ["MaintenanceMode:DrainTimeout"] = "00:00:02",
        }).Start();
        await using var context = await chromium.Browser.NewContextAsync();
        context.SetDefaultTimeout(10_000);
        context.SetDefaultNavigationTimeout(30_000);   // a cold first request on a busy machine
        var page = await context.NewPageAsync();
        var clock = Stopwatch.StartNew();
        var streamEnded = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stockStatuses = new ConcurrentQueue<int>();
        page.Response += (_, r) =>
        {
            if (IsStock(r.Url))
            {
                stockStatuses.Enqueue(r.Status);
            }
        };
        page.RequestFailed += (_, r) => EndedIfStock(r);
        page.RequestFinished += (_, r) => EndedIfStock(r);

        var response = await page.GotoAsync(new Uri(server.BaseAddress, "/Products/Details/1").ToString(), new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal(200, response?.Status);
        var stock = page.Locator(".stock");
        await Assertions.Expect(stock).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15_000 });
        await Assertions.Expect(stock.Locator("output")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ in stock$"));
        Assert.Equal(new[] { 200 }, stockStatuses.ToArray());

        // A second level (a second later): the stream is running, and the server has registered it with the drain.
        var first = await stock.Locator("output").InnerTextAsync();
        await Assertions.Expect(stock.Locator("output")).Not.ToHaveTextAsync(first, new() { Timeout = 15_000 });

        var service = server.Services.GetRequiredService<IMaintenanceModeService>();
        await service.EnableAsync(new() { Application = "Storefront", Reason = "Release 42" });
        var enabledAt = clock.Elapsed;

        // The stream stays open while the drain timeout runs, then ends (with 3 s of margin for a busy machine).
        var endedAt = await streamEnded.Task.WaitAsync(s_drainTimeout + TimeSpan.FromSeconds(3));
        Assert.InRange(endedAt - enabledAt, s_drainTimeout - TimeSpan.FromMilliseconds(300), s_drainTimeout + TimeSpan.FromSeconds(3));

        // EventSource reconnects, gets 503 and gives up; the page says so.
        await Assertions.Expect(stock).ToHaveAttributeAsync("data-state", "closed", new() { Timeout = 15_000 });
        await Assertions.Expect(stock.Locator("output")).ToHaveTextAsync("Live stock paused");
        Assert.Contains(503, stockStatuses);

        // The next navigation shows the maintenance page.
        var next = await page.GotoAsync(new Uri(server.BaseAddress, "/Products").ToString(), new() { WaitUntil = WaitUntilState.Load });
        Assert.Equal(503, next?.Status);
        Assert.Equal("We're restocking the shelves", await page.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("storefront-live-stock-after-drain.png"), FullPage = true });

        void EndedIfStock(IRequest request)
        {
            if (IsStock(request.Url))
            {
                streamEnded.TrySetResult(clock.Elapsed);
            }
        }
    }

    private static bool IsStock(string url) => new Uri(url).AbsolutePath == "/api/products/1/stock";
}
