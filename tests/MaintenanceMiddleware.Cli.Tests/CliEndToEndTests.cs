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

        var enable = await CliProcess.RunAsync(null, "enable", "--file", state, "--app", "Storefront", "--reason", "Release 42", "--for", "15m");
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

        var noReason = await CliProcess.RunAsync(null, "enable", "--file", state);
        var past = await CliProcess.RunAsync(null, "enable", "--file", state, "--reason", "x", "--until", "2001-01-01T00:00:00Z");
        var badApp = await CliProcess.RunAsync(null, "enable", "--file", state, "--reason", "x", "--app", "a/b");

        Assert.Equal(2, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Error, StringComparison.Ordinal);
        Assert.Equal(2, past.ExitCode);
        Assert.Contains("--until", past.Error, StringComparison.Ordinal);
        Assert.Equal(2, badApp.ExitCode);
        Assert.Contains("--app", badApp.Error, StringComparison.Ordinal);
        var log = await CliProcess.RunAsync(null, "log", "--file", state);
        Assert.Equal("No maintenance changes recorded.", log.Output.Trim());
    }

    [Fact]
    public async Task Http_target_switches_a_running_app_and_the_audit_names_the_key()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var url = host.EndpointsUrl.ToString();
        var withKey = new Dictionary<string, string> { [CliApplication.ApiKeyVariable] = KestrelTestHost.PipelineKey };

        var enable = await CliProcess.RunAsync(withKey, "enable", "--url", url, "--reason", "Release 42", "--for", "30m");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.StartsWith("Maintenance enabled for all applications until", enable.Output, StringComparison.Ordinal);
        await WaitForStatusAsync(http, HttpStatusCode.ServiceUnavailable);

        var status = await CliProcess.RunAsync(withKey, "status", "--url", url, "--app", "Storefront");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Storefront: IN MAINTENANCE (environment-wide, all applications)", status.Output, StringComparison.Ordinal);

        var disable = await CliProcess.RunAsync(null, "disable", "--url", url, "--api-key", KestrelTestHost.PipelineKey, "--reason", "Release 42 done");
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
    public async Task Http_target_failures_map_to_exit_codes()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        var url = host.EndpointsUrl.ToString();

        var wrongKey = await CliProcess.RunAsync(null, "enable", "--url", url, "--api-key", "wrong", "--reason", "x");
        var badReason = await CliProcess.RunAsync(null, "enable", "--url", url, "--api-key", KestrelTestHost.PipelineKey, "--reason", new string('x', 501));
        var unreachable = await CliProcess.RunAsync(null, "status", "--url", "http://127.0.0.1:9/_maintenance", "--api-key", "k");

        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("401", wrongKey.Error, StringComparison.Ordinal);
        Assert.Equal(2, badReason.ExitCode);
        Assert.Contains("reason", badReason.Error, StringComparison.Ordinal);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Could not reach", unreachable.Error, StringComparison.Ordinal);
        Assert.Empty(await host.App.Services.GetRequiredService<IMaintenanceStateStore>().GetAuditTrailAsync());
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
