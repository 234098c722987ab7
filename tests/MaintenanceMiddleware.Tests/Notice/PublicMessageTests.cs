using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MaintenanceMiddleware.Tests.Control;
using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Tests.Notice;

/// <summary>The public message (issue 10, part 2, the front-end side): stored apart from the internal reason, validated like it.</summary>
public class PublicMessageTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);
    private static readonly MaintenanceActor s_actor = new("alice", "10.0.0.5");

    private readonly InMemoryMaintenanceStateStore _store = new();

    private MaintenanceModeService CreateService() =>
        new(_store, Microsoft.Extensions.Options.Options.Create(new MaintenanceModeOptions { Application = "Storefront" }), new FakeTimeProvider(s_now));

    [Fact]
    public async Task Enable_stores_the_message_beside_the_reason_and_the_audit_entry_records_it()
    {
        var service = CreateService();

        var state = await service.EnableAsync(new() { Application = "Storefront", Reason = "CVE-2026-1234 patch", Message = "Back at 15:00 with a faster checkout.", Actor = s_actor });

        Assert.Equal("Back at 15:00 with a faster checkout.", state.Message);
        Assert.Equal("CVE-2026-1234 patch", state.Reason);
        var entry = Assert.Single(await service.GetAuditTrailAsync());
        Assert.Equal("Back at 15:00 with a faster checkout.", entry.After.Message);
        Assert.Equal("CVE-2026-1234 patch", entry.Reason);
        Assert.Equal("Back at 15:00 with a faster checkout.", (await service.GetStatusAsync("Storefront")).Effective.Message);
    }

    [Fact]
    public async Task Enable_without_a_message_stores_none_and_disable_clears_it()
    {
        var service = CreateService();
        Assert.Null((await service.EnableAsync(new() { Application = "Storefront", Reason = "r", Actor = s_actor })).Message);
        await service.EnableAsync(new() { Application = "Storefront", Reason = "r", Message = "Soon back", Actor = s_actor });

        var off = await service.DisableAsync(new() { Application = "Storefront", Reason = "done", Actor = s_actor });

        Assert.Null(off.Message);
    }

    [Theory]
    [InlineData("   ", "The message is empty; leave it out to show the default text.")]
    [InlineData("one\ntwo", "The message contains a control character (U+000A); use plain text on one line.")]
    [InlineData("Back \u202Esoon", "The message contains a format character (such as a bidi override) (U+202E); use plain text on one line.")]
    public async Task Bad_message_is_refused_naming_the_message_field(string message, string expected)
    {
        var service = CreateService();

        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.EnableAsync(new() { Application = "Storefront", Reason = "r", Message = message, Actor = s_actor }));

        Assert.Equal("message", ex.Field);
        Assert.Equal(expected, ex.Message);
        Assert.Empty(await _store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Message_over_the_reason_limit_is_refused_with_its_length()
    {
        var service = CreateService();

        var ex = await Assert.ThrowsAsync<MaintenanceValidationException>(() => service.EnableAsync(new() { Application = "Storefront", Reason = "r", Message = new string('a', 501), Actor = s_actor }));

        Assert.Equal("message", ex.Field);
        Assert.Equal("The message is 501 characters long; at most 500 are allowed.", ex.Message);
    }

    [Fact]
    public async Task Http_enable_takes_the_message_field()
    {
        await using var app = await EndpointsTestHost.StartAsync();
        using var client = app.GetTestClient();

        using var response = await PostAsync(client, """{"reason":"CVE patch","message":"Back in ten minutes."}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Back in ten minutes.", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());
        var entry = Assert.Single(await app.Services.GetRequiredService<IMaintenanceStateStore>().GetAuditTrailAsync());
        Assert.Equal("Back in ten minutes.", entry.After.Message);
    }

    [Theory]
    [InlineData("""{"reason":"x","message":"a\nb"}""")]
    [InlineData("""{"reason":"x","message":""}""")]
    [InlineData("""{"reason":"x","message":"\u2028"}""")]
    public async Task Http_bad_message_gets_400_naming_message(string body)
    {
        await using var app = await EndpointsTestHost.StartAsync();
        using var client = app.GetTestClient();

        using var response = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.Equal(["message"], errors.EnumerateObject().Select(p => p.Name));
        Assert.StartsWith("The message ", errors.GetProperty("message")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("   ", "MaintenanceMode:DefaultMessage: The message is empty; leave it out to show the default text.")]
    [InlineData("line\u0007bell", "MaintenanceMode:DefaultMessage: The message contains a control character (U+0007); use plain text on one line.")]
    public async Task Bad_default_message_stops_startup_naming_the_key(string value, string expected)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:DefaultMessage"] = value);
        });

        Assert.Contains(expected, ex.Failures);
    }

    [Fact]
    public async Task Default_message_binds_from_configuration()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:DefaultMessage"] = "We are improving the shop.");

        Assert.Equal("We are improving the shop.", host.App.Services.GetRequiredService<IOptions<MaintenanceModeOptions>>().Value.DefaultMessage);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("400.00:00:00")]
    public async Task Bad_bypass_link_cap_stops_startup_naming_the_key(string value)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:BypassLinkMaxLifetime"] = value);
        });

        Assert.Contains($"MaintenanceMode:BypassLinkMaxLifetime: '{TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture)}' must be positive and at most 366 days (e.g. 1.00:00:00).", ex.Failures);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_maintenance/enable") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add(MaintenanceApiKeyDefaults.HeaderName, EndpointsTestHost.DeployKey);
        return await client.SendAsync(request);
    }
}
