using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;

namespace MaintenanceMiddleware.Samples.Tests;

/// <summary>
/// Issue 11, "done when": two Storefronts and the Back Office on one PostgreSQL database, switched by the
/// <c>maintenance</c> tool as a pipeline step runs it. <c>--wait</c> exits 0 only when both Storefronts answer 503 at that
/// moment (no sleep); with one Storefront frozen (SIGSTOP) it exits 4 within the wait and names that instance.
/// </summary>
public sealed class ConfirmedSwitchingTests : IAsyncLifetime
{
    private readonly List<SampleProcess> _processes = [];
    private string _connectionString = null!;
    private SampleProcess _storefrontA = null!;
    private SampleProcess _storefrontB = null!;
    private SampleProcess _backOffice = null!;

    public async Task InitializeAsync()
    {
        var admin = Environment.GetEnvironmentVariable("MM_TEST_POSTGRES");
        Assert.False(string.IsNullOrEmpty(admin), "MM_TEST_POSTGRES is not set: a connection string to a PostgreSQL server with a superuser (./test.sh sets it).");
        var name = "mm_wait_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        _connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        var migrate = await CliProcess.RunAsync("migrate", "--postgres", _connectionString);
        Assert.True(migrate.ExitCode == 0, migrate.Output + migrate.Error);

        var storefrontPort = SampleProcess.FreePort();
        Dictionary<string, string> shared = new()
        {
            ["MaintenanceMode__PostgreSql__ConnectionString"] = _connectionString,
            ["MaintenanceMode__HeartbeatInterval"] = "00:00:01",
            ["Storefront__BaseUrl"] = $"http://127.0.0.1:{storefrontPort}",
        };
        _storefrontA = await StartAsync("Storefront", storefrontPort, shared);
        _storefrontB = await StartAsync("Storefront", SampleProcess.FreePort(), shared);
        _backOffice = await StartAsync("BackOffice", SampleProcess.FreePort(), new(shared) { ["CatalogueSync__Interval"] = "01:00:00" });

        // Every instance has reported itself once it is listed live.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await CliProcess.RunAsync("instances", "--postgres", _connectionString, "--json");
            Assert.True(list.ExitCode == 0, list.Output + list.Error);
            var ids = JsonDocument.Parse(list.Output).RootElement.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instanceId").GetString()).ToHashSet();
            if (ids.SetEquals([_storefrontA.InstanceId, _storefrontB.InstanceId, _backOffice.InstanceId]))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the instances never all reported; listed: {string.Join(", ", ids)}");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            Signal(process, "CONT");
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Enable_wait_exits_0_with_both_storefronts_answering_503_at_that_moment_and_disable_wait_with_both_back()
    {
        var enable = await CliProcess.RunAsync("enable", "--postgres", _connectionString, "--app", "Storefront", "--reason", "Release 42", "--wait", "30s");

        // No sleep: the moment the step succeeds, every Storefront serves the maintenance page.
        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable), (await StatusAsync(_storefrontA), await StatusAsync(_storefrontB)));
        Assert.True(enable.ExitCode == 0, $"exit {enable.ExitCode}\n{enable.Output}\n{enable.Error}");
        Assert.Contains("Confirmed by 3 instance(s) of Storefront", enable.Output, StringComparison.Ordinal);
        foreach (var id in new[] { _storefrontA.InstanceId, _storefrontB.InstanceId, _backOffice.InstanceId })
        {
            Assert.Matches($@"{id}\s+\w+\s+\S+\s+confirmed\s+applied v1, drained", enable.Output);
        }

        var disable = await CliProcess.RunAsync("disable", "--postgres", _connectionString, "--app", "Storefront", "--reason", "Release 42 done", "--wait", "30s");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (await StatusAsync(_storefrontA), await StatusAsync(_storefrontB)));
        Assert.True(disable.ExitCode == 0, $"exit {disable.ExitCode}\n{disable.Output}\n{disable.Error}");
    }

    [Fact]
    public async Task With_one_storefront_frozen_enable_wait_exits_4_within_the_wait_naming_that_instance()
    {
        Signal(_storefrontB, "STOP");

        var enable = await CliProcess.RunAsync("enable", "--postgres", _connectionString, "--app", "Storefront", "--reason", "Release 42", "--wait", "30s");

        Assert.True(enable.ExitCode == 4, $"exit {enable.ExitCode}\n{enable.Output}\n{enable.Error}");
        Assert.True(enable.Elapsed < TimeSpan.FromSeconds(30), $"took {enable.Elapsed}");
        Assert.Contains($"{_storefrontB.InstanceId} (Storefront on {Environment.MachineName}) ", enable.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(_storefrontA.InstanceId, enable.Error, StringComparison.Ordinal);
        Assert.Contains("the change IS stored", enable.Error, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(_storefrontA));
    }

    private async Task<SampleProcess> StartAsync(string sample, int port, Dictionary<string, string> environment)
    {
        var process = await SampleProcess.StartAsync(sample, port, environment);
        _processes.Add(process);
        return process;
    }

    private static async Task<HttpStatusCode> StatusAsync(SampleProcess sample)
    {
        using var client = new HttpClient { BaseAddress = sample.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
        return response.StatusCode;
    }

    private static void Signal(SampleProcess sample, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", sample.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
