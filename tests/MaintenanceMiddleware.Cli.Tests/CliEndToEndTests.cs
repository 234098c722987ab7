using System.Net;
using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>The built tool, run as a process, against a state file and against a running app over HTTP.</summary>
public sealed class CliEndToEndTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mm-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task File_store_enable_status_log_disable_and_a_running_app_follows()
    {
        var state = Path.Combine(_dir, "state.json");
        await using var host = await KestrelTestHost.StartAsync(m => m.UseFileStore(o => o.Path = state));
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);

        var enable = await CliProcess.RunAsync(null, "enable", "--file", state, "--create", "--app", "Storefront", "--new-app", "--reason", "Release 42", "--for", "15m");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.Matches(@"^Maintenance enabled for Storefront until \d{4}-\d\d-\d\d \d\d:\d\d UTC \((15m|14m)\)\. Reason: Release 42\. Version 1\.$", enable.Output.Trim());

        var down = await WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable);
        var retryAfter = down.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.InRange(retryAfter ?? 0, 840, 900);

        var status = await CliProcess.RunAsync(null, "status", "--file", state, "--app", "Storefront");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Storefront: IN MAINTENANCE until", status.Output, StringComparison.Ordinal);
        Assert.Contains("Reason: Release 42.", status.Output, StringComparison.Ordinal);

        var disable = await CliProcess.RunAsync(null, "disable", "--file", state, "--app", "Storefront", "--reason", "Release 42 done");
        Assert.True(disable.ExitCode == 0, disable.ToString());
        Assert.Equal("Maintenance disabled for Storefront. Reason: Release 42 done. Version 2.", disable.Output.Trim());
        await WaitForStatusAsync(http, HttpStatusCode.OK);

        var log = await CliProcess.RunAsync(null, "log", "--file", state);
        var lines = log.Output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains($"disable  Storefront  by cli:{Environment.UserName}@{Environment.MachineName} from cli", lines[0], StringComparison.Ordinal);
        Assert.Contains("Reason: Release 42", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_store_bad_usage_exits_2_and_writes_nothing()
    {
        var state = Path.Combine(_dir, "state.json");

        var noReason = await CliProcess.RunAsync(null, "enable", "--file", state, "--create", "--all");
        var past = await CliProcess.RunAsync(null, "enable", "--file", state, "--create", "--all", "--reason", "x", "--until", "2001-01-01T00:00:00Z");
        var badApp = await CliProcess.RunAsync(null, "enable", "--file", state, "--create", "--reason", "x", "--app", "a/b");

        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Error, StringComparison.Ordinal);
        Assert.Equal(2, past.ExitCode);
        Assert.Contains("--until", past.Error, StringComparison.Ordinal);
        Assert.Equal(2, badApp.ExitCode);
        Assert.Contains("--app", badApp.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(state));
    }

    [Fact]
    public async Task Http_target_switches_a_running_app_and_the_audit_names_the_key()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var url = host.EndpointsUrl.ToString();
        var withKey = new Dictionary<string, string> { [CliApplication.ApiKeyVariable] = KestrelTestHost.PipelineKey };

        var enable = await CliProcess.RunAsync(withKey, "enable", "--url", url, "--all", "--reason", "Release 42", "--for", "30m");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.StartsWith("Maintenance enabled for all applications until", enable.Output, StringComparison.Ordinal);
        await WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable);

        var status = await CliProcess.RunAsync(withKey, "status", "--url", url, "--app", "Storefront");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Storefront: IN MAINTENANCE (environment-wide, all applications)", status.Output, StringComparison.Ordinal);

        var disable = await CliProcess.RunAsync(null, "disable", "--url", url, "--all", "--api-key", KestrelTestHost.PipelineKey, "--reason", "Release 42 done");
        Assert.True(disable.ExitCode == 0, disable.ToString());
        await WaitForStatusAsync(http, HttpStatusCode.OK);

        var entries = await host.App.Services.GetRequiredService<IMaintenanceStateStore>().GetAuditTrailAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e =>
        {
            Assert.Equal("pipeline", e.Actor);
            Assert.Equal("127.0.0.1", e.Source);
        });
        var log = await CliProcess.RunAsync(withKey, "log", "--url", url);
        Assert.Contains("by pipeline from 127.0.0.1", log.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_target_answers_as_a_store_does_unknown_app_already_on_and_still_in_maintenance()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        var url = host.EndpointsUrl.ToString();
        var withKey = new Dictionary<string, string> { [CliApplication.ApiKeyVariable] = KestrelTestHost.PipelineKey };
        var store = host.App.Services.GetRequiredService<IMaintenanceStateStore>();

        var neither = await CliProcess.RunAsync(withKey, "enable", "--url", url, "-r", "x");
        var typo = await CliProcess.RunAsync(withKey, "enable", "--url", url, "--app=Storfront", "-r", "x");
        Assert.Equal(2, neither.ExitCode);
        Assert.Equal(2, typo.ExitCode);
        Assert.StartsWith("error: --app: unknown application 'Storfront'; known: Storefront.", typo.Error, StringComparison.Ordinal);
        Assert.Empty(await store.GetAuditTrailAsync());

        // The app's own application is known before its first switch; another needs --new-app.
        Assert.Equal(0, (await CliProcess.RunAsync(withKey, "enable", "--url", url, "-a", "Storefront", "-r", "Release 42")).ExitCode);
        var other = await CliProcess.RunAsync(withKey, "enable", "--url", url, "-a", "Checkout", "-r", "x");
        Assert.Equal(2, other.ExitCode);
        Assert.StartsWith("error: --app: unknown application 'Checkout'; known: Storefront.", other.Error, StringComparison.Ordinal);

        var again = await CliProcess.RunAsync(withKey, "enable", "--url", url, "-a", "Storefront", "-r", "Release 42, longer", "--for", "1h");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith("Already in maintenance (enabled by pipeline at ", again.Output, StringComparison.Ordinal);

        Assert.Equal(0, (await CliProcess.RunAsync(withKey, "enable", "--url", url, "--all", "-r", "DB upgrade")).ExitCode);
        var disable = await CliProcess.RunAsync(withKey, "disable", "--url", url, "-a", "Storefront", "-r", "Release 42 done");
        Assert.True(disable.ExitCode == 3, disable.ToString());
        Assert.StartsWith("error: Storefront is still in maintenance through the environment-wide entry '*' (all applications) (enabled by pipeline at ", disable.Error, StringComparison.Ordinal);
        Assert.EndsWith("Reason: DB upgrade. Run 'maintenance disable --all' to end it.", disable.Error.Trim(), StringComparison.Ordinal);

        var status = await CliProcess.RunAsync(withKey, "status", "--url", url, "-a", "Storefront");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("  own entry:            off (changed by pipeline at ", status.Output, StringComparison.Ordinal);
        Assert.Contains("  environment-wide '*': on (enabled by pipeline at ", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_target_failures_map_to_exit_codes()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        var url = host.EndpointsUrl.ToString();

        var wrongKey = await CliProcess.RunAsync(null, "enable", "--url", url, "--all", "--api-key", "wrong", "--reason", "x");
        var badReason = await CliProcess.RunAsync(null, "enable", "--url", url, "--all", "--api-key", KestrelTestHost.PipelineKey, "--reason", new string('x', 501));
        var unreachable = await CliProcess.RunAsync(null, "status", "--all", "--url", "http://127.0.0.1:9/_maintenance", "--api-key", "k");

        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("401", wrongKey.Error, StringComparison.Ordinal);
        Assert.Equal(2, badReason.ExitCode);
        Assert.Contains("reason", badReason.Error, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Could not reach", unreachable.Error, StringComparison.Ordinal);
        Assert.Empty(await host.App.Services.GetRequiredService<IMaintenanceStateStore>().GetAuditTrailAsync());
    }

    [Theory]
    [InlineData(307, "Temporary Redirect")]
    [InlineData(308, "Permanent Redirect")]
    [InlineData(302, "Found")]
    public async Task Redirect_is_an_error_naming_the_location_and_the_key_never_reaches_the_other_origin(int status, string phrase)
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var other = await KestrelTestHost.StartPlainAsync(context =>
        {
            seen.Enqueue($"{context.Request.Method} {context.Request.Path} key={context.Request.Headers[MaintenanceApiKeyDefaults.HeaderName]}");
            return Task.CompletedTask;
        });
        var location = new Uri(other.BaseAddress, "/_maintenance/enable");
        await using var redirecting = await KestrelTestHost.StartPlainAsync(context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location.ToString();
            return Task.CompletedTask;
        });

        var result = await CliProcess.RunAsync(null, "enable", "--all", "--url", new Uri(redirecting.BaseAddress, "/_maintenance").ToString(), "--api-key", KestrelTestHost.PipelineKey, "--reason", "x");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"answered {status} {phrase}, a redirect to {location}.", result.Error, StringComparison.Ordinal);
        Assert.Contains("never follows redirects", result.Error, StringComparison.Ordinal);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task Validation_errors_over_http_name_the_cli_option_as_over_a_store()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        var url = host.EndpointsUrl.ToString();

        var bidi = await CliProcess.RunAsync(null, "enable", "--url", url, "--all", "--api-key", KestrelTestHost.PipelineKey, "--reason", "Release \u202E24");
        var version = await CliProcess.RunAsync(null, "disable", "--url", url, "--all", "--api-key", KestrelTestHost.PipelineKey, "--reason", "x", "--expected-version", "-1");

        Assert.Equal(2, bidi.ExitCode);
        Assert.Equal("error: --reason: The reason contains a format character (such as a bidi override) (U+202E); use plain text on one line. Nothing changed.", bidi.Error.Trim());
        Assert.Equal(2, version.ExitCode);
        Assert.StartsWith("error: --expected-version: The expected version must be 0 or more (got -1)", version.Error.Trim(), StringComparison.Ordinal);
        Assert.Empty(await host.App.Services.GetRequiredService<IMaintenanceStateStore>().GetAuditTrailAsync());
    }

    public static TheoryData<string[], string> Overflows => new()
    {
        { ["enable", "--file", "{state}", "--create", "--all", "--reason", "x", "--for", string.Concat(Enumerable.Repeat("999999d", 1000))], "--for:" },
        { ["enable", "--file", "{state}", "--create", "--all", "--reason", "x", "--starts-at", "9999-12-31T00:00:00Z", "--for", "999999d"], "--for:" },
        { ["enable", "--file", "{state}", "--create", "--all", "--reason", "x", "--starts-at", "9999-12-31T00:00:00Z", "--for", "2d"], "--starts-at:" },
        { ["status", "--all", "--url", "http://127.0.0.1:9/_maintenance", "--api-key", "pipeline\nX-Injected: 1"], "--api-key" },
    };

    [Theory]
    [MemberData(nameof(Overflows))]
    public async Task Overflowing_input_exits_2_naming_the_option_never_a_crash(string[] args, string option)
    {
        var state = Path.Combine(_dir, "state.json");

        var result = await CliProcess.RunAsync(null, [.. args.Select(a => a.Replace("{state}", state, StringComparison.Ordinal))]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: " + option, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(state));
    }

    private static async Task<HttpResponseMessage> WaitForStatusAsync(HttpClient http, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var response = await http.GetAsync("/");
            if (response.StatusCode == expected)
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The app did not answer {(int)expected} within 5 s (last {(int)response.StatusCode}).");
            response.Dispose();
            await Task.Delay(50);
        }
    }
}
