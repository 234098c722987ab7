using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace MaintenanceMiddleware.Tests.Pages;

public class MaintenanceAssetTests
{
    [Theory]
    [InlineData("/maintenance/style.css", "text/css; charset=utf-8")]
    [InlineData("/maintenance/img/logo.png", "image/png")]
    [InlineData("/maintenance/index.html", "text/html; charset=utf-8")]
    public async Task Files_beside_the_page_are_served_during_maintenance_with_their_content_type(string path, string contentType)
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        var context = await host.SendAsync(path);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(contentType, context.Response.ContentType);
        Assert.Equal("no-store", context.Header("Cache-Control"));
        Assert.Equal("nosniff", context.Header("X-Content-Type-Options"));
        var expected = await File.ReadAllBytesAsync(Path.Combine(host.PageFolder, path["/maintenance/".Length..]));
        Assert.Equal(expected.Length, context.Response.ContentLength);
    }

    [Fact]
    public async Task Stylesheet_body_is_the_file()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        Assert.Equal(RequestTestHostSetup.Css, (await host.SendAsync("/maintenance/style.css")).BodyText());
    }

    [Fact]
    public async Task Head_on_an_asset_gets_headers_only()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        var context = await host.SendAsync("/maintenance/style.css", method: "HEAD");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(RequestTestHostSetup.Css.Length, context.Response.ContentLength);
        Assert.Equal(string.Empty, context.BodyText());
    }

    [Fact]
    public async Task Unknown_asset_is_404_and_not_stored()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        var context = await host.SendAsync("/maintenance/nope.css");

        Assert.Equal(404, context.Response.StatusCode);
        Assert.Equal("no-store", context.Header("Cache-Control"));
    }

    [Fact]
    public async Task Outside_maintenance_the_assets_path_belongs_to_the_application()
    {
        await using var host = await RequestTestHost.StartAsync();

        var context = await host.SendAsync("/maintenance/style.css");

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("the app's own stylesheet", context.BodyText());
    }

    [Fact]
    public async Task Assets_path_is_configurable()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:AssetsPath"] = "/_down");
        await host.EnableAsync();

        Assert.Equal(RequestTestHostSetup.Css, (await host.SendAsync("/_down/style.css")).BodyText());
        Assert.Equal(503, (await host.SendAsync("/maintenance/style.css")).Response.StatusCode);
    }

    [Theory]
    [InlineData("/maintenance/../secret.txt")]
    [InlineData("/maintenance/../../secret.txt")]
    [InlineData("/maintenance/../../../secret.txt")]
    [InlineData("/maintenance/../outside.css")]
    [InlineData("/maintenance/%2e%2e/outside.css")]
    [InlineData("/maintenance/%2E%2E/%2E%2E/secret.txt")]
    [InlineData("/maintenance/..%2foutside.css")]
    [InlineData("/maintenance/..%2Foutside.css")]
    [InlineData("/maintenance/%2e%2e%2f%2e%2e%2fsecret.txt")]
    [InlineData("/maintenance/..\\outside.css")]
    [InlineData("/maintenance/..\\..\\secret.txt")]
    [InlineData("/maintenance/img/../../outside.css")]
    [InlineData("/maintenance//etc/passwd")]
    [InlineData("/maintenance/%2fetc%2fpasswd")]
    [InlineData("/maintenance/C:/Windows/win.ini")]
    [InlineData("/maintenance/./style.css/../../outside.css")]
    [InlineData("/maintenance/.hidden")]
    public async Task Nothing_outside_the_maintenance_folder_is_reachable(string path)
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();
        await File.WriteAllTextAsync(Path.Combine(host.PageFolder, ".hidden"), "hidden");

        // As set by a server that did not normalise the path, and as sent through an HTTP client.
        var raw = await host.SendAsync(path);
        using var client = host.Server.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var clientBody = await response.Content.ReadAsStringAsync();

        Assert.Equal(404, raw.Response.StatusCode);
        Assert.DoesNotContain("top secret", raw.BodyText(), StringComparison.Ordinal);
        Assert.NotEqual(200, (int)response.StatusCode);
        Assert.DoesNotContain("top secret", clientBody, StringComparison.Ordinal);
        Assert.DoesNotContain("outside {", clientBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Absolute_path_to_a_file_on_disk_is_not_reachable()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        var context = await host.SendAsync("/maintenance/" + Path.Combine(host.ContentRoot, "secret.txt").TrimStart('/'));
        var doubled = await host.SendAsync("/maintenance/" + Path.Combine(host.ContentRoot, "secret.txt"));

        Assert.Equal(404, context.Response.StatusCode);
        Assert.Equal(404, doubled.Response.StatusCode);
    }

    [Fact]
    public async Task Symbolic_link_pointing_outside_the_folder_is_not_served()
    {
        var root = RequestTestHost.NewContentRoot();
        var folder = Path.Combine(root, "public", RequestTestHostSetup.Application, "maintenance");
        File.CreateSymbolicLink(Path.Combine(folder, "leak.txt"), Path.Combine(root, "secret.txt"));
        File.CreateSymbolicLink(Path.Combine(folder, "leak-relative.txt"), "../../../secret.txt");
        Directory.CreateSymbolicLink(Path.Combine(folder, "up"), root);
        File.CreateSymbolicLink(Path.Combine(folder, "alias.css"), Path.Combine(folder, "style.css"));
        await using var host = await RequestTestHost.StartAsync(contentRoot: root);
        await host.EnableAsync();

        Assert.Equal(404, (await host.SendAsync("/maintenance/leak.txt")).Response.StatusCode);
        Assert.Equal(404, (await host.SendAsync("/maintenance/leak-relative.txt")).Response.StatusCode);
        Assert.Equal(404, (await host.SendAsync("/maintenance/up/secret.txt")).Response.StatusCode);

        // A link that stays inside the folder is an ordinary file.
        Assert.Equal(RequestTestHostSetup.Css, (await host.SendAsync("/maintenance/alias.css")).BodyText());
    }

    [Fact]
    public async Task Post_to_an_asset_gets_the_maintenance_response()
    {
        await using var host = await RequestTestHost.StartAsync();
        await host.EnableAsync();

        var context = await host.SendAsync("/maintenance/style.css", method: HttpMethods.Post);

        Assert.Equal(503, context.Response.StatusCode);
    }
}
