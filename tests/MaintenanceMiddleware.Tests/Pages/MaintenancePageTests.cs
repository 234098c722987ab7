using MaintenanceMiddleware.Tests.Request;
using Microsoft.Extensions.Logging;

namespace MaintenanceMiddleware.Tests.Pages;

public class MaintenancePageTests
{
    private const int PageMissingEventId = 21;

    [Fact]
    public async Task Missing_page_falls_back_to_the_built_in_page_and_warns_once()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.WritePage = false;
            s.Configuration["MaintenanceMode:DefaultMessage"] = "Upgrading <the> database & more";
        });
        await host.EnableAsync(reason: "CVE patch");

        var first = await host.SendAsync("/");
        var second = await host.SendAsync("/");

        Assert.Equal(503, first.Response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", first.Response.ContentType);
        var html = first.BodyText();
        Assert.Contains("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("Upgrading &lt;the&gt; database &amp; more", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<the>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("CVE patch", html, StringComparison.Ordinal);
        Assert.Equal("en", first.Header("Content-Language"));
        Assert.DoesNotContain("http", html, StringComparison.Ordinal);
        Assert.Equal(503, second.Response.StatusCode);
        var warnings = host.Logs.GetSnapshot().Where(r => r.Id.Id == PageMissingEventId).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(Path.Combine(host.PageFolder, "index.html"), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_edited_on_disk_is_served_without_a_restart()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();
        Assert.Equal(RequestTestHostSetup.PageHtml, (await host.SendAsync("/")).BodyText());

        const string edited = "<!DOCTYPE html><html><body><h1>Back at noon</h1></body></html>";
        await File.WriteAllTextAsync(Path.Combine(host.PageFolder, "index.html"), edited);

        Assert.Equal(edited, await PollBodyAsync(host, "/", edited));
    }

    [Fact]
    public async Task Page_added_after_start_replaces_the_built_in_page_and_removing_it_warns_again()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.WritePage = false);
        await host.EnableAsync();
        var page = "<html><body>designed later</body></html>";

        await File.WriteAllTextAsync(Path.Combine(host.PageFolder, "index.html"), page);
        Assert.Equal(page, await PollBodyAsync(host, "/", page));

        File.Delete(Path.Combine(host.PageFolder, "index.html"));
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (host.Logs.GetSnapshot().Count(r => r.Id.Id == PageMissingEventId) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2, host.Logs.GetSnapshot().Count(r => r.Id.Id == PageMissingEventId));
        Assert.Contains("We&rsquo;ll be back soon", (await host.SendAsync("/")).BodyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asset_edited_on_disk_is_served_without_a_restart()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();
        const string css = "body { color: red; }";

        await File.WriteAllTextAsync(Path.Combine(host.PageFolder, "style.css"), css);

        Assert.Equal(css, await PollBodyAsync(host, "/maintenance/style.css", css));
    }

    internal static async Task<string> PollBodyAsync(RequestTestHost host, string path, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        string body;
        do
        {
            body = (await host.SendAsync(path)).BodyText();
            if (body == expected)
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        return body;
    }
}
