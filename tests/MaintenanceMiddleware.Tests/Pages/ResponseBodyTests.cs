using System.Text;
using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Pages;

public class ResponseBodyTests
{
    [Fact]
    public void Built_in_page_shows_the_expected_end_in_utc()
    {
        var html = Encoding.UTF8.GetString(BuiltInMaintenancePage.Render("Release 42", new DateTimeOffset(2026, 11, 25, 14, 30, 0, TimeSpan.FromHours(2))));

        Assert.Contains("Expected back by <time datetime=\"2026-11-25T12:30:00Z\">2026-11-25 12:30 UTC</time>", html, StringComparison.Ordinal);
        Assert.Contains("Release 42", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Built_in_page_without_message_or_end_asks_to_try_again()
    {
        var html = Encoding.UTF8.GetString(BuiltInMaintenancePage.Render(null, null));

        Assert.Contains("Please try again in a few minutes.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"message\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlong_message_is_cut_to_500_characters_in_page_and_problem()
    {
        var reason = new string('a', 600);

        var html = Encoding.UTF8.GetString(BuiltInMaintenancePage.Render(reason, null));
        using var json = JsonDocument.Parse(ProblemDetailsBody.Render(reason, 60, null));

        Assert.Contains(new string('a', 500) + "</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 501), html, StringComparison.Ordinal);
        Assert.Equal(500, json.RootElement.GetProperty("detail").GetString()!.Length);
    }

    [Fact]
    public void Problem_detail_escapes_html_sensitive_characters()
    {
        var body = Encoding.UTF8.GetString(ProblemDetailsBody.Render("<script>alert('x')</script>", 60, null));

        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("'", body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("<script>alert('x')</script>", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public void Page_folder_skips_hidden_files_and_unknown_types_and_reloads_on_the_poll()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mm-pages-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "index.html"), "v1");
            File.WriteAllText(Path.Combine(folder, ".env"), "SECRET=1");
            File.WriteAllText(Path.Combine(folder, "notes.unknownext"), "?");
            var time = new FakeTimeProvider();
            var logger = new FakeLogger();
            using var provider = new MaintenancePageProvider(folder, time, logger, TimeSpan.FromSeconds(1));

            Assert.Equal("v1", Encoding.UTF8.GetString(provider.Current.IndexHtml!));
            Assert.False(provider.Current.TryGetAsset(".env", out _));
            Assert.False(provider.Current.TryGetAsset("notes.unknownext", out _));
            Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 23 && r.Message.Contains("notes.unknownext", StringComparison.Ordinal));

            File.WriteAllText(Path.Combine(folder, "index.html"), "version 2");
            time.Advance(TimeSpan.FromSeconds(1));

            Assert.Equal("version 2", Encoding.UTF8.GetString(provider.Current.IndexHtml!));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
