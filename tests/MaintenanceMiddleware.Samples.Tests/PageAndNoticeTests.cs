extern alias BackOfficeApp;
extern alias StorefrontApp;

using System.Net;
using System.Text.Json;
using MaintenanceMiddleware;
using BackOfficeProgram = BackOfficeApp::Program;
using StorefrontProgram = StorefrontApp::Program;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>The samples' templated and localized pages, and the advance notice with its banner script.</summary>
public sealed class PageAndNoticeTests
{
    private static async Task SaveAsync(InMemoryMaintenanceStateStore store, MaintenanceState state, HttpClient client, HttpStatusCode expectedHome)
    {
        await store.SaveAsync(state with { Version = 1 }, 0, new MaintenanceAuditEntry
        {
            Timestamp = DateTimeOffset.UtcNow,
            Action = MaintenanceAction.Enable,
            Application = state.Application,
            Reason = state.Reason!,
            Actor = "test",
            Source = "test",
            Before = MaintenanceState.Off(state.Application),
            After = state with { Version = 1 },
        });
        await Eventually.UntilAsync(() => Eventually.StatusOfAsync(client, "/_maintenance/notice"), s => s == HttpStatusCode.OK, "the notice to show the window");
        Assert.Equal(expectedHome, await Eventually.StatusOfAsync(client, "/"));
    }

    private static MaintenanceState Window(string application, DateTimeOffset? startsAt, DateTimeOffset? endsAt) => new()
    {
        Application = application,
        Enabled = true,
        Reason = "CVE patch",
        Message = "We are moving to a faster checkout.",
        StartsAt = startsAt,
        EndsAt = endsAt,
    };

    [Fact]
    public async Task Storefront_german_visitor_gets_the_german_page_with_the_message_and_reopening_time()
    {
        await using var host = new SampleHost<StorefrontProgram>();
        using var client = host.CreateClient();
        var end = DateTimeOffset.UtcNow.AddHours(1);
        await SaveAsync(host.Store, Window("Storefront", null, end), client, HttpStatusCode.ServiceUnavailable);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Products");
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.AcceptLanguage.ParseAdd("de-CH, de;q=0.9, en;q=0.5");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("de", Assert.Single(response.Content.Headers.ContentLanguage));
        Assert.Contains("Wir füllen die Regale auf", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"message\">We are moving to a faster checkout.</p>", html, StringComparison.Ordinal);
        Assert.Contains($"data-ends-at=\"{end.UtcDateTime:yyyy-MM-ddTHH:mm:ss}Z\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("CVE patch", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storefront_announces_a_window_ahead_and_its_layout_loads_the_banner_script()
    {
        await using var host = new SampleHost<StorefrontProgram>();
        using var client = host.CreateClient();
        var start = DateTimeOffset.UtcNow.AddMinutes(10);
        await SaveAsync(host.Store, Window("Storefront", start, start.AddMinutes(30)), client, HttpStatusCode.OK);

        using var notice = JsonDocument.Parse(await client.GetStringAsync("/_maintenance/notice"));
        var home = await client.GetStringAsync("/");
        using var script = await client.GetAsync("/_maintenance/notice.js");

        Assert.Equal("Storefront", notice.RootElement.GetProperty("application").GetString());
        Assert.False(notice.RootElement.GetProperty("inForce").GetBoolean());
        Assert.Equal("We are moving to a faster checkout.", notice.RootElement.GetProperty("message").GetString());
        Assert.Contains("<script src=\"/_maintenance/notice.js\" defer></script>", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task BackOffice_page_fills_its_placeholders()
    {
        await using var host = new SampleHost<BackOfficeProgram>();
        using var client = host.CreateClient();
        await SaveAsync(host.Store, Window("BackOffice", null, DateTimeOffset.UtcNow.AddMinutes(20)), client, HttpStatusCode.ServiceUnavailable);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("<span class=\"status\">BackOffice · maintenance</span>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"message\">We are moving to a faster checkout.</p>", html, StringComparison.Ordinal);
        Assert.Contains($"<code>Retry-After: {response.Headers.RetryAfter!.Delta!.Value.TotalSeconds}</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", html, StringComparison.Ordinal);
    }
}
