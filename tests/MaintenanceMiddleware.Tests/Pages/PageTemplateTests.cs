using System.Text;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>Placeholders in index.html: filled, HTML-encoded, rendered once per state and page version.</summary>
public class PageTemplateTests
{
    private const int UnknownPlaceholderEventId = 30;

    private static readonly string s_template =
        "<html><body><h1>{{application}}</h1><p id=m>{{ message }}</p><time datetime=\"{{ends_at}}\">{{ends_at}}</time><p id=r>{{retry_after_seconds}}</p></body></html>";

    [Fact]
    public void Placeholders_are_filled_and_html_encoded()
    {
        var template = MaintenancePageTemplate.Parse(Encoding.UTF8.GetBytes(s_template));

        var html = Encoding.UTF8.GetString(template.Render(new MaintenancePageModel("Store&front", "Back <b>soon</b> – \"really\"", new DateTimeOffset(2026, 12, 1, 23, 30, 0, TimeSpan.FromHours(1)), 90)));

        Assert.Equal(
            "<html><body><h1>Store&amp;front</h1><p id=m>Back &lt;b&gt;soon&lt;/b&gt; – &quot;really&quot;</p><time datetime=\"2026-12-01T22:30:00Z\">2026-12-01T22:30:00Z</time><p id=r>90</p></body></html>",
            html);
        Assert.True(template.UsesRetryAfter);
        Assert.Empty(template.Unknown);
    }

    [Fact]
    public void Unknown_end_and_message_render_empty()
    {
        var template = MaintenancePageTemplate.Parse(Encoding.UTF8.GetBytes(s_template));

        var html = Encoding.UTF8.GetString(template.Render(new MaintenancePageModel("Storefront", null, null, 300)));

        Assert.Equal("<html><body><h1>Storefront</h1><p id=m></p><time datetime=\"\"></time><p id=r>300</p></body></html>", html);
    }

    [Theory]
    [InlineData("<script>const o = {{a: 1}};</script>")]
    [InlineData("{{ a + b }}")]
    [InlineData("{{}}")]
    [InlineData("{{message")]
    public void Braces_that_are_not_a_placeholder_are_left_alone(string page)
    {
        var template = MaintenancePageTemplate.Parse(Encoding.UTF8.GetBytes(page));

        Assert.Equal(page, Encoding.UTF8.GetString(template.Render(new MaintenancePageModel("Storefront", "m", null, 1))));
        Assert.Empty(template.Unknown);
    }

    [Fact]
    public async Task Unknown_placeholder_is_left_as_written_and_logged_once()
    {
        var root = RequestTestHost.NewContentRoot();
        var folder = Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance");
        await File.WriteAllTextAsync(Path.Combine(folder, "index.html"), "<p>{{message}}</p><p>{{reopens_at}}</p><p>{{reopens_at}}</p>");
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:DefaultMessage"] = "Soon", root);
        await host.EnableAsync();

        var first = (await host.SendAsync("/")).BodyText();
        var second = (await host.SendAsync("/")).BodyText();

        Assert.Equal("<p>Soon</p><p>{{reopens_at}}</p><p>{{reopens_at}}</p>", first);
        Assert.Equal(first, second);
        var warning = Assert.Single(host.Logs.GetSnapshot(), r => r.Id.Id == UnknownPlaceholderEventId);
        Assert.Equal(
            "'index.html' uses the unknown placeholder '{{reopens_at}}'; it is left as written. Known: {{message}}, {{ends_at}}, {{retry_after_seconds}}, {{application}}.",
            warning.Message);
    }

    [Fact]
    public async Task Retry_after_and_ends_at_follow_the_window()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var root = RequestTestHost.NewContentRoot();
        await File.WriteAllTextAsync(Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance", "index.html"), "{{ends_at}}|{{retry_after_seconds}}");
        await using var host = await RequestTestHost.StartAsync(s => s.Time = time, root);
        await host.EnableAsync(endsAt: time.GetUtcNow().AddMinutes(2));

        var before = await host.SendAsync("/");
        time.Advance(TimeSpan.FromSeconds(30));
        var later = await host.SendAsync("/");

        Assert.Equal("2026-12-01T12:02:00Z|120", before.BodyText());
        Assert.Equal("120", before.Header("Retry-After"));
        var laterBody = later.BodyText();
        Assert.Equal("2026-12-01T12:02:00Z|90", laterBody);
        Assert.Equal("90", later.Header("Retry-After"));
        Assert.Equal(laterBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), later.Header("Content-Length"));
    }

    [Fact]
    public void Same_state_and_page_version_reuse_the_rendered_bytes()
    {
        var content = new MaintenancePageContent(Encoding.UTF8.GetBytes(s_template), System.Collections.Frozen.FrozenDictionary<string, MaintenanceAsset>.Empty, 1);
        var model = new MaintenancePageModel("Storefront", "m", null, 300);
        var first = MaintenanceResponseWriter.Render(content, model);

        var sameSecond = MaintenanceResponseWriter.Render(content, model, previous: first);
        var noRetryPlaceholder = new MaintenancePageContent(Encoding.UTF8.GetBytes("<p>{{message}}</p>"), System.Collections.Frozen.FrozenDictionary<string, MaintenanceAsset>.Empty, 2);
        var a = MaintenanceResponseWriter.Render(noRetryPlaceholder, model);
        var b = MaintenanceResponseWriter.Render(noRetryPlaceholder, model with { RetryAfterSeconds = 299 }, previous: a);

        Assert.NotSame(first.Pages[0].Html, sameSecond.Pages[0].Html);   // the page shows the seconds: rendered again
        Assert.Same(a.Pages[0].Html, b.Pages[0].Html);                   // it does not: the bytes are reused
    }
}
