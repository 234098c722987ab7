using MaintenanceMiddleware.Tests.Request;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MaintenanceMiddleware.Tests.Options;

public class OptionsValidationTests
{
    private static async Task<OptionsValidationException> StartFailsAsync(params (string Key, string Value)[] settings)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await RequestTestHost.StartAsync(s =>
            {
                foreach (var (key, value) in settings)
                {
                    s.Configuration[key] = value;
                }
            });
        });
        return ex;
    }

    [Theory]
    [InlineData("10.0.0.300")]
    [InlineData("10.0.0.0/40")]
    [InlineData("office")]
    [InlineData("10.0.0.1/8")]
    [InlineData("2001:db8::1/32")]
    public async Task Unparseable_network_stops_startup_naming_the_entry(string entry)
    {
        var ex = await StartFailsAsync(("MaintenanceMode:AllowedNetworks:0", "10.0.0.0/8"), ("MaintenanceMode:AllowedNetworks:1", entry));

        Assert.Contains("MaintenanceMode:AllowedNetworks:1", ex.Message, StringComparison.Ordinal);
        Assert.Contains(entry, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../Storefront")]
    [InlineData("Store/front")]
    [InlineData("Store\\front")]
    [InlineData("..")]
    [InlineData("/etc")]
    [InlineData("*")]
    public async Task Application_name_with_path_characters_stops_startup(string name)
    {
        var ex = await StartFailsAsync(("MaintenanceMode:Application", name));

        Assert.Contains("MaintenanceMode:Application", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../public")]
    [InlineData("public/../../elsewhere")]
    [InlineData("/etc")]
    public async Task Pages_root_outside_the_content_root_stops_startup(string pagesRoot)
    {
        var ex = await StartFailsAsync(("MaintenanceMode:PagesRoot", pagesRoot));

        Assert.Contains("MaintenanceMode:PagesRoot", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outside the content root", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("//")]
    public async Task Exempt_path_that_exempts_everything_stops_startup(string path)
    {
        var ex = await StartFailsAsync(("MaintenanceMode:ExemptPaths:0", "/health"), ("MaintenanceMode:ExemptPaths:1", path));

        Assert.Contains("MaintenanceMode:ExemptPaths:1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ExemptPaths:0", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    public async Task Retry_after_must_be_positive(string retryAfter)
    {
        var ex = await StartFailsAsync(("MaintenanceMode:RetryAfter", retryAfter));

        Assert.Contains("MaintenanceMode:RetryAfter", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("366.00:01:00")]
    [InlineData("99999.00:00:00")]
    public async Task Retry_after_longer_than_the_longest_window_stops_startup(string retryAfter)
    {
        var ex = await StartFailsAsync(("MaintenanceMode:RetryAfter", retryAfter));

        Assert.Contains($"MaintenanceMode:RetryAfter: '{TimeSpan.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture)}' is longer than the longest maintenance window (366 days)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Network_with_host_bits_set_names_the_range_that_was_probably_meant()
    {
        var ex = await StartFailsAsync(("MaintenanceMode:AllowedNetworks:0", "192.168.1.77/24"));

        Assert.Contains("host bits set: write 192.168.1.0/24 for the range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_root_inside_the_content_root_is_accepted()
    {
        await using var host = await RequestTestHost.StartAsync(s => s.Configuration["MaintenanceMode:PagesRoot"] = "./public/../public");
        await host.EnableAsync();

        Assert.Equal(RequestTestHostSetup.PageHtml, (await host.SendAsync("/")).BodyText());
    }

    [Fact]
    public async Task Enabled_from_an_environment_variable_forces_maintenance_on_and_status_says_so()
    {
        var prefix = "MMTEST_" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(prefix + "MaintenanceMode__Enabled", "true");
        try
        {
            // The host's environment variables provider, under a private prefix so parallel tests are not affected.
            await using var host = await RequestTestHost.StartAsync(s => s.ConfigurationSources = c => c.AddEnvironmentVariables(prefix));

            var context = await host.SendAsync("/", accept: "application/json");
            var status = await host.Service.GetStatusAsync();

            Assert.Equal(503, context.Response.StatusCode);
            Assert.DoesNotContain("Forced by configuration", context.BodyText(), StringComparison.Ordinal);   // internal: status only
            Assert.True(status.IsActive);
            Assert.True(status.ForcedByConfiguration);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "MaintenanceMode__Enabled", null);
        }
    }

    [Fact]
    public async Task Use_without_add_throws_a_message_that_says_to_call_AddMaintenanceMode()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.UseMaintenanceMode());

        Assert.Contains("AddMaintenanceMode", ex.Message, StringComparison.Ordinal);
    }
}
