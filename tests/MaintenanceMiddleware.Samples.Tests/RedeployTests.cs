using System.Diagnostics;
using System.Net;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// A release as a pipeline runs it on one machine: the Storefront is published and started with its defaults, the
/// <c>maintenance</c> CLI is run with no target option, and the app folder is deleted and published again. The state
/// lives in the machine's default folder (here a fresh <c>MAINTENANCE_STATE_DIR</c>), outside the app folder, so the
/// new version starts in maintenance.
/// </summary>
public sealed class RedeployTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mm-redeploy-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Cli_with_no_target_switches_a_Storefront_started_with_defaults_and_a_republished_folder_starts_in_maintenance()
    {
        var stateDir = Path.Combine(_root, "state");
        var app = Path.Combine(_root, "app");
        var environment = new Dictionary<string, string> { ["MAINTENANCE_STATE_DIR"] = stateDir, ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        await PublishTests.PublishAsync("Storefront", app);

        await using (var first = await StartAsync(app, environment))
        {
            using var client = new HttpClient { BaseAddress = first.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, await Eventually.StatusOfAsync(client, "/"));

            var (exitCode, output) = await RunCliAsync(stateDir, "enable", "--app", "Storefront", "--new-app", "--reason", "Release 42");
            Assert.True(exitCode == 0, output);
            Assert.True(File.Exists(Path.Combine(stateDir, "state.json")), $"The CLI did not write the machine's default state file:\n{output}");
            await Eventually.UntilAsync(() => Eventually.StatusOfAsync(client, "/"), s => s == HttpStatusCode.ServiceUnavailable, "the running Storefront to answer 503", TimeSpan.FromSeconds(5));
        }

        Directory.Delete(app, recursive: true);
        await PublishTests.PublishAsync("Storefront", app);
        Assert.False(Directory.Exists(Path.Combine(app, "App_Data")));

        await using var second = await StartAsync(app, environment);
        using var again = new HttpClient { BaseAddress = second.BaseAddress };
        using var response = await again.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Back soon", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<SampleProcess> StartAsync(string app, IReadOnlyDictionary<string, string> environment) =>
        SampleProcess.StartAsync("Storefront", Path.Combine(app, "Storefront.dll"), app, SampleProcess.FreePort(), environment);

    private static async Task<(int ExitCode, string Output)> RunCliAsync(string stateDir, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "maintenance.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // No target of any kind from the machine: only the default location applies.
        foreach (var name in new[] { "MAINTENANCE_FILE", "MAINTENANCE_URL", "MAINTENANCE_POSTGRES", "MAINTENANCE_REDIS", "MAINTENANCE_API_KEY", "MaintenanceMode__FileStore__Path" })
        {
            info.Environment.Remove(name);
        }

        info.Environment["MAINTENANCE_STATE_DIR"] = stateDir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
