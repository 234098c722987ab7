using Microsoft.Extensions.DependencyInjection;
using MaintenanceMiddleware.Tests.Request;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>public/&lt;APP&gt;/maintenance/&lt;culture&gt;/index.html, chosen by Accept-Language.</summary>
public class LocalizedPageTests
{
    private const int NotACultureEventId = 31;

    private static async Task<RequestTestHost> StartWithCulturesAsync(params string[] folders)
    {
        var root = RequestTestHost.NewContentRoot();
        var maintenance = Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance");
        await File.WriteAllTextAsync(Path.Combine(maintenance, "index.html"), "<html lang=\"en\"><body>default {{message}}</body></html>");
        foreach (var folder in folders)
        {
            Directory.CreateDirectory(Path.Combine(maintenance, folder));
            await File.WriteAllTextAsync(Path.Combine(maintenance, folder, "index.html"), $"<html lang=\"{folder}\"><body>{folder} {{{{message}}}}</body></html>");
        }

        var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:DefaultMessage"] = "Bald zurück", root);
        await host.EnableAsync();
        return host;
    }

    [Theory]
    [InlineData("de", "de", "de")]
    [InlineData("de-AT", "de", "de")]
    [InlineData("fr-CH", "fr", "fr")]
    [InlineData("fr-CH, de;q=0.9", "fr", "fr")]
    [InlineData("de;q=0.5, fr;q=0.9", "fr", "fr")]
    [InlineData("es, de;q=0.1", "de", "de")]
    [InlineData("de;q=0, es", "default", "en")]
    [InlineData("*", "default", "en")]
    [InlineData("es", "default", "en")]
    [InlineData("", "default", "en")]
    [InlineData("not a header ;;; q=x", "default", "en")]
    public async Task Accept_language_picks_the_page_by_q_value_and_parent_culture(string acceptLanguage, string expected, string contentLanguage)
    {
        await using var host = await StartWithCulturesAsync("de", "fr");

        var context = await host.SendAsync("/", configure: c => c.Request.Headers.AcceptLanguage = acceptLanguage);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal($"<html lang=\"{contentLanguage}\"><body>{expected} Bald zurück</body></html>", context.BodyText());
        Assert.Equal(contentLanguage, context.Header("Content-Language"));
        Assert.Equal("Accept, Accept-Language", context.Header("Vary"));
    }

    [Fact]
    public async Task Culture_folder_assets_are_served_beside_the_shared_ones()
    {
        await using var host = await StartWithCulturesAsync("de");
        await File.WriteAllTextAsync(Path.Combine(host.PageFolder, "de", "extra.css"), "p { color: red }");
        host.App.Services.GetService<MaintenancePageProvider>()!.Reload();

        var shared = await host.SendAsync("/maintenance/style.css");
        var german = await host.SendAsync("/maintenance/de/extra.css");

        Assert.Equal(200, shared.Response.StatusCode);
        Assert.Equal(200, german.Response.StatusCode);
        Assert.Equal("p { color: red }", german.BodyText());
    }

    [Fact]
    public async Task Folder_that_is_not_a_culture_is_ignored_with_a_warning()
    {
        await using var host = await StartWithCulturesAsync("de", "english");

        var context = await host.SendAsync("/", configure: c => c.Request.Headers.AcceptLanguage = "english");
        var asset = await host.SendAsync("/maintenance/english/index.html");

        Assert.Contains("default", context.BodyText(), StringComparison.Ordinal);
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == NotACultureEventId);
        Assert.Equal(
            "The folder 'english' beside the maintenance page holds an index.html but 'english' is not a culture name (such as 'de' or 'fr-CH'); it is not used as a localized page (its files are still served as assets).",
            warning.Message);
        Assert.Equal(200, asset.Response.StatusCode);
    }

    [Fact]
    public async Task Problem_json_stays_english_whatever_the_accept_language()
    {
        await using var host = await StartWithCulturesAsync("de");

        var context = await host.SendAsync("/", accept: "application/json", configure: c => c.Request.Headers.AcceptLanguage = "de");

        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal("en", context.Header("Content-Language"));
        Assert.Equal("Accept, Accept-Language", context.Header("Vary"));
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("fr-CH", "fr-CH")]
    [InlineData("FR-ch", "fr-CH")]
    [InlineData("img", null)]
    [InlineData("english", null)]
    [InlineData("de_DE", null)]
    [InlineData("..", null)]
    [InlineData("", null)]
    public void Culture_names_are_recognised_and_spelled_as_dotnet_does(string folder, string? expected) =>
        Assert.Equal(expected, LanguageNegotiation.CultureName(folder));
}
