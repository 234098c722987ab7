using System.Text.Json;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.Pages;

/// <summary>Visitors and API clients see the public message (or a neutral text), never the internal reason.</summary>
public class PublicMessageTests
{
    [Fact]
    public async Task Internal_reason_reaches_neither_the_built_in_page_nor_problem_json()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.WritePage = false);
        await host.EnableAsync(reason: "CVE patch");

        var page = (await host.SendAsync("/")).BodyText();
        var problem = (await host.SendAsync("/", accept: "application/json")).BodyText();

        Assert.DoesNotContain("CVE patch", page, StringComparison.Ordinal);
        Assert.Contains("This site is down for planned maintenance.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("CVE patch", problem, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(problem);
        Assert.Equal("The service is down for maintenance.", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Forced_by_configuration_the_configuration_reason_is_not_shown()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.WritePage = false;
            s.Configuration["MaintenanceMode:Enabled"] = "true";
        });

        var page = await host.SendAsync("/");
        var problem = (await host.SendAsync("/", accept: "application/json")).BodyText();

        Assert.Equal(503, page.Response.StatusCode);
        Assert.DoesNotContain("Forced by configuration", page.BodyText(), StringComparison.Ordinal);
        Assert.DoesNotContain("Forced by configuration", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("MaintenanceMode:Enabled", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Window_message_is_shown_on_the_built_in_page_and_in_detail_html_encoded()
    {
        var store = new InMemoryMaintenanceStateStore();
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.WritePage = false;
            s.Store = store;
            s.Configuration["MaintenanceMode:DefaultMessage"] = "configured default";
        });
        await PageTestState.SaveAsync(host, store, PageTestState.Window(message: "New checkout <soon> & faster"));

        var page = (await host.SendAsync("/")).BodyText();
        using var json = JsonDocument.Parse((await host.SendAsync("/", accept: "application/json")).BodyText());

        Assert.Contains("<p class=\"message\">New checkout &lt;soon&gt; &amp; faster</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("configured default", page, StringComparison.Ordinal);
        Assert.DoesNotContain("CVE patch", page, StringComparison.Ordinal);
        Assert.Equal("New checkout <soon> & faster", json.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Default_message_is_shown_when_the_window_sets_none()
    {
        await using var host = await RequestTestHost.StartAsync(s =>
        {
            s.WritePage = false;
            s.Configuration["MaintenanceMode:DefaultMessage"] = "We are upgrading the shop.";
        });
        await host.EnableAsync(reason: "CVE patch");

        Assert.Contains("<p class=\"message\">We are upgrading the shop.</p>", (await host.SendAsync("/")).BodyText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("line one\nline two", "MaintenanceMode:DefaultMessage: The message contains a control character (U+000A); use plain text on one line.")]
    [InlineData(null, "MaintenanceMode:DefaultMessage: The message is 501 characters long; at most 500 are allowed.")]
    public async Task Default_message_that_is_not_one_line_of_plain_text_fails_start_up(string? message, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:DefaultMessage"] = message ?? new string('m', 501));
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
