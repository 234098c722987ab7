using System.Net;
using MaintenanceMiddleware;
using Microsoft.Extensions.DependencyInjection;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary><c>--wait</c> and <c>instances</c> over <c>--url</c> (a real app on Kestrel) and over the file store, where an unreadable instance file never blocks a switch.</summary>
public sealed class CliWaitTargetsTests
{
    private static readonly Dictionary<string, string> s_noEnvironment = [];

    [Fact]
    public async Task Over_url_enable_wait_is_confirmed_by_the_app_itself_and_it_answers_503()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        await WaitForReportsAsync(host, 1);
        var cli = new CliRunner(TimeProvider.System, environment: s_noEnvironment);

        var enable = await cli.RunAsync("enable", "--url", host.EndpointsUrl.ToString(), "--api-key", KestrelTestHost.PipelineKey, "-a", "Storefront", "-r", "Release 42", "--wait", "20s");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Confirmed by 1 instance(s) of Storefront", enable.Output, StringComparison.Ordinal);
        Assert.Matches($@"{Environment.MachineName}:{Environment.ProcessId}\s+Storefront\s+\S+\s+confirmed\s+applied v1, drained, in maintenance", enable.Output);
    }

    [Fact]
    public async Task Over_url_an_instance_that_does_not_confirm_makes_it_exit_4_naming_it_and_instances_lists_both()
    {
        await using var host = await KestrelTestHost.StartAsync(m => m.UseInMemoryStore());
        await WaitForReportsAsync(host, 1);
        var registry = (IMaintenanceInstanceRegistry)host.App.Services.GetRequiredService<IMaintenanceStateStore>();
        await registry.ReportAsync(new MaintenanceInstanceReport { InstanceId = "web-stuck", SessionId = "s", Application = "Storefront", HostName = "web-9", HeartbeatInterval = TimeSpan.FromMinutes(1) });
        var cli = new CliRunner(TimeProvider.System, environment: s_noEnvironment);
        string[] url = ["--url", host.EndpointsUrl.ToString(), "--api-key", KestrelTestHost.PipelineKey];

        var enable = await cli.RunAsync(["enable", .. url, "-a", "Storefront", "-r", "Release 42", "--wait", "2s"]);
        var instances = await cli.RunAsync(["instances", .. url]);

        Assert.True(enable.ExitCode == 4, enable.ToString());
        Assert.Equal("error: not every instance confirmed within 2s (the change IS stored): web-stuck (Storefront on web-9) not applied: has not applied v1 yet.", enable.Error.Trim());
        Assert.True(instances.ExitCode == 0, instances.ToString());
        Assert.Contains("web-stuck", instances.Output, StringComparison.Ordinal);
        Assert.Contains($"{Environment.MachineName}:{Environment.ProcessId}", instances.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_the_file_store_an_unreadable_instance_file_is_a_warning_and_never_blocks_the_switch()
    {
        var folder = Directory.CreateTempSubdirectory("mm-cli-wait-").FullName;
        try
        {
            var statePath = Path.Combine(folder, "state.json");
            var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = statePath });
            await store.ReportAsync(new MaintenanceInstanceReport
            {
                InstanceId = "web-1",
                SessionId = "s",
                Application = "*",
                HostName = "host",
                HeartbeatInterval = TimeSpan.FromMinutes(1),
                AppliedVersions = new Dictionary<string, long> { ["*"] = 1 },
                Drained = true,
            });
            await File.WriteAllTextAsync(Path.Combine(folder, "state.instances", "broken.json"), "{ not json");
            var cli = new CliRunner(TimeProvider.System, environment: s_noEnvironment);

            var enable = await cli.RunAsync("enable", "--file", statePath, "--create", "--all", "-r", "Release 42", "--wait", "10s");

            Assert.True(enable.ExitCode == 0, enable.ToString());
            Assert.Contains("Confirmed by 1 instance(s) of all applications", enable.Output, StringComparison.Ordinal);
            Assert.Contains("warning: ignored an unreadable entry: state.instances/broken.json: not JSON", enable.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitForReportsAsync(KestrelTestHost host, int count)
    {
        var registry = (IMaintenanceInstanceRegistry)host.App.Services.GetRequiredService<IMaintenanceStateStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await registry.GetInstancesAsync()).Instances.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the app never reported itself");
            await Task.Delay(20);
        }
    }
}
