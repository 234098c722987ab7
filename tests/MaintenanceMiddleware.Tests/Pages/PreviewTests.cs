using System.Text.Json;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>GET {base}/preview: the page as a visitor would get it for a state, without going down.</summary>
public class PreviewTests
{
    private const string Key = "preview-key-0123456789";
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static async Task<(RequestTestHost Host, InMemoryMaintenanceStateStore Store)> StartAsync()
    {
        var store = new InMemoryMaintenanceStateStore();
        var root = RequestTestHost.NewContentRoot();
        var folder = Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance");
        await File.WriteAllTextAsync(Path.Combine(folder, "index.html"), "<html lang=\"en\"><p>{{message}}</p><time>{{ends_at}}</time><i>{{retry_after_seconds}}</i></html>");
        Directory.CreateDirectory(Path.Combine(folder, "de"));
        await File.WriteAllTextAsync(Path.Combine(folder, "de", "index.html"), "<html lang=\"de\"><p>{{message}}</p></html>");
        var host = await RequestTestHost.StartAsync(
            s =>
            {
                s.Store = store;
                s.Time = new FakeTimeProvider(s_now);
                s.Services = services =>
                {
                    services.AddAuthentication().AddMaintenanceApiKey(o => o.AddKeyHash("designer", MaintenanceApiKeyHash.Compute(Key)));
                    services.AddAuthorizationBuilder().AddMaintenanceOperatorPolicy();
                };
                s.Endpoints = app => app.MapMaintenanceEndpoints("/_maintenance").RequireAuthorization("MaintenanceOperator");
            },
            root);
        return (host, store);
    }

    private static Task<Microsoft.AspNetCore.Http.HttpContext> PreviewAsync(RequestTestHost host, string query, string? key = Key, string? accept = null) =>
        host.SendAsync("/_maintenance/preview", accept: accept, configure: c =>
        {
            c.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);
            if (key is not null)
            {
                c.Request.Headers["X-Maintenance-Key"] = key;
            }
        });

    [Fact]
    public async Task Preview_is_exactly_the_visitor_page_for_that_state_without_going_down()
    {
        var (host, store) = await StartAsync();
        await using var _host = host;

        var preview = await PreviewAsync(host, "?message=Back%20at%2014%3A00&endsAt=2026-12-01T14:00:00Z");
        var site = await host.SendAsync("/");
        await PageTestState.SaveAsync(host, store, PageTestState.Window(message: "Back at 14:00", endsAt: s_now.AddHours(2)));
        var visitor = await host.SendAsync("/");

        Assert.Equal(200, preview.Response.StatusCode);
        Assert.Equal(200, site.Response.StatusCode);   // the preview did not take the site down
        Assert.Equal(503, visitor.Response.StatusCode);
        var body = preview.BodyText();
        Assert.Equal("<html lang=\"en\"><p>Back at 14:00</p><time>2026-12-01T14:00:00Z</time><i>7200</i></html>", body);
        Assert.Equal(visitor.BodyText(), body);
        foreach (var header in (string[])["Content-Type", "Content-Language", "Vary", "Retry-After", "Cache-Control", "Content-Length"])
        {
            Assert.Equal(visitor.Header(header), preview.Header(header));
        }
    }

    [Fact]
    public async Task Preview_culture_picks_the_localized_page_as_accept_language_would()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;

        var german = await PreviewAsync(host, "?culture=de-CH&message=Bald");
        var french = await PreviewAsync(host, "?culture=fr&message=Bient%C3%B4t");

        Assert.Equal("<html lang=\"de\"><p>Bald</p></html>", german.BodyText());
        Assert.Equal("de", german.Header("Content-Language"));
        Assert.Contains("<p>Bientôt</p>", french.BodyText(), StringComparison.Ordinal);   // no fr page: the default
    }

    [Fact]
    public async Task Preview_json_client_gets_the_problem_a_visitor_api_client_would()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;

        var preview = await PreviewAsync(host, "?message=Soon", accept: "application/json");

        Assert.Equal("application/problem+json", preview.Response.ContentType);
        using var json = JsonDocument.Parse(preview.BodyText());
        Assert.Equal("Soon", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Preview_is_behind_the_endpoints_authorization()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;

        Assert.Equal(401, (await PreviewAsync(host, "?message=x", key: null)).Response.StatusCode);
    }

    [Theory]
    [InlineData("?culture=klingon-xx", "culture", "'klingon-xx' is not a culture name; use one such as 'de' or 'fr-CH'.")]
    [InlineData("?endsAt=tomorrow", "endsAt", "'tomorrow' is not a date and time; use ISO 8601 such as 2026-12-01T22:00:00Z.")]
    [InlineData("?endsAt=2026-12-01T11:00:00Z", "endsAt", "'2026-12-01T11:00:00Z' is in the past; visitors never see a window that has ended.")]
    [InlineData("?message=two%0Alines", "message", "The message contains a control character (U+000A); use plain text on one line.")]
    [InlineData("?app=..%2Fsecret", "app", "The application name '../secret' is invalid: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.")]
    [InlineData("?app=BackOffice", "app", "This instance has no maintenance pages for 'BackOffice' (public/BackOffice/maintenance); preview it on an instance of 'BackOffice', or leave 'app' out for 'Storefront'.")]
    [InlineData("?culture=de&culture=fr", "culture", "'culture' is given 2 times; give it once.")]
    public async Task Invalid_preview_parameter_gets_400_naming_the_field(string query, string field, string message)
    {
        var (host, _) = await StartAsync();
        await using var _host = host;

        var context = await PreviewAsync(host, query);

        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        using var json = JsonDocument.Parse(context.BodyText());
        Assert.Equal(message, Assert.Single(json.RootElement.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Preview_of_another_application_on_this_instance_renders_its_folder()
    {
        var (host, _) = await StartAsync();
        await using var _host = host;
        var other = Path.Combine(host.ContentRoot, "public", "BackOffice", "maintenance");
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, "index.html"), "<p>{{application}}: {{message}}</p>");

        var context = await PreviewAsync(host, "?app=BackOffice&message=Deploying");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("<p>BackOffice: Deploying</p>", context.BodyText());
    }
}
