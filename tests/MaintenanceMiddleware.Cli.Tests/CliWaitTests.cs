using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>Issue 11, item 2: <c>--wait</c> returns only when every live instance confirmed, and fails loudly naming the ones that did not.</summary>
public sealed class CliWaitTests
{
    private readonly InMemoryMaintenanceStateStore _store = new();
    private readonly CliRunner _cli;

    public CliWaitTests() => _cli = new CliRunner(TimeProvider.System, _store);

    [Fact]
    public async Task Enable_wait_exits_0_once_every_instance_applied_and_drained_and_prints_each_one()
    {
        await ReportAsync("web-1", version: 0);
        await ReportAsync("web-2", version: 0);
        using var instances = FollowAsync("web-1", "web-2");

        var result = await _cli.RunAsync("enable", "--file", "s.json", "-a", "Storefront", "--new-app", "-r", "Release 42", "--wait", "20s");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Maintenance enabled for Storefront until it is disabled. Reason: Release 42. Version 1.", result.Output, StringComparison.Ordinal);
        Assert.Contains("Confirmed by 2 instance(s) of Storefront in ", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"web-1\s+Storefront\s+host\s+confirmed\s+applied v1, drained, in maintenance", result.Output);
        Assert.Matches(@"web-2\s+Storefront\s+host\s+confirmed\s+applied v1, drained, in maintenance", result.Output);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task An_instance_that_does_not_confirm_in_time_makes_it_exit_4_naming_it_and_the_change_stays()
    {
        await ReportAsync("web-1", version: 0);
        await ReportAsync("web-2", version: 0);
        using var instances = FollowAsync("web-1");

        var result = await _cli.RunAsync("enable", "--file", "s.json", "-a", "Storefront", "--new-app", "-r", "Release 42", "--wait", "2s");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Contains("NOT confirmed within 2s: 1 of 2 instance(s) of Storefront did not confirm version 1.", result.Output, StringComparison.Ordinal);
        Assert.Equal(
            "error: not every instance confirmed within 2s (the change IS stored): web-2 (Storefront on host) not applied: has not applied v1 yet.",
            result.Error.Trim());
        Assert.True((await _store.GetStatesAsync()).Single().Enabled);
    }

    [Fact]
    public async Task With_no_live_instance_the_wait_warns_and_exits_0()
    {
        var result = await _cli.RunAsync("enable", "--file", "s.json", "--all", "-r", "Release 42", "--wait");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No live instance of all applications reports to this store: nothing to confirm.", result.Output, StringComparison.Ordinal);
        Assert.Equal("warning: no live instance of all applications reports to this store; nothing confirmed the change (no instance serves the old state either).", result.Error.Trim());
    }

    [Fact]
    public async Task Json_with_a_wait_prints_the_state_and_the_confirmation()
    {
        await ReportAsync("web-1", version: 0);
        using var instances = FollowAsync("web-1");

        var result = await _cli.RunAsync("enable", "--file", "s.json", "-a", "Storefront", "--new-app", "-r", "Release 42", "--wait", "20s", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("state").GetProperty("enabled").GetBoolean());
        Assert.True(json.RootElement.GetProperty("confirmation").GetProperty("confirmed").GetBoolean());
        Assert.Equal("Confirmed", json.RootElement.GetProperty("confirmation").GetProperty("instances")[0].GetProperty("outcome").GetString());
    }

    public static TheoryData<string[], string> BadWaits => new()
    {
        { ["--wait", "0s"], "error: --wait: '0s' is not positive; give how long to wait (e.g. 60s, 2m), or leave --wait out to return without waiting." },
        { ["--wait=-5s"], "error: --wait: '-5s' is not positive; give how long to wait (e.g. 60s, 2m), or leave --wait out to return without waiting." },
        { ["--wait", "15"], "error: --wait: '15' has no unit; write 15m (minutes), 15h or 15s." },
        { ["--wait", "2h"], "error: --wait: The wait must be at most 60 minutes (it was 02:00:00)." },
        { ["--wait", "soon"], "error: --wait: 'soon' is not a duration; use e.g. 90s, 30m, 2h, 1d or 1h30m." },
    };

    [Theory]
    [MemberData(nameof(BadWaits))]
    public async Task A_zero_negative_unitless_or_huge_wait_exits_2_and_changes_nothing(string[] wait, string expected)
    {
        var result = await _cli.RunAsync(["enable", "--file", "s.json", "-a", "Storefront", "--new-app", "-r", "Release 42", .. wait]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(expected, result.Error.Trim());
        Assert.Empty(await _store.GetStatesAsync());
    }

    [Fact]
    public async Task Instances_lists_each_instance_with_its_lag_and_json_gives_the_reports()
    {
        await _store.SaveAsync(MaintenanceState.Off("Storefront") with { Version = 3 }, 0, Audit("Storefront"));
        await ReportAsync("web-1", version: 3);
        await ReportAsync("web-2", version: 1, forced: true);

        var table = await _cli.RunAsync("instances", "--file", "s.json", "-a", "Storefront");
        var json = await _cli.RunAsync("instances", "--file", "s.json", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Output.Trim().Split('\n');
        Assert.Matches(@"^APPLICATION\s+HOST\s+INSTANCE\s+APPLIED\s+LAG\s+IN FLIGHT\s+LONG-LIVED\s+PAUSED\s+FORCED\s+LAST BEAT\s+STATE$", lines[0].TrimEnd());
        Assert.Matches(@"^Storefront\s+host\s+web-1\s+v3 \*v0\s+0\s+0\s+0\s+no\s+no\s+\d+ s ago\s+serving$", lines[1].TrimEnd());
        Assert.Matches(@"^Storefront\s+host\s+web-2\s+v1 \*v0\s+2 behind\s+0\s+0\s+no\s+yes\s+\d+ s ago\s+in maintenance$", lines[2].TrimEnd());
        using var document = System.Text.Json.JsonDocument.Parse(json.Output);
        Assert.Equal(2, document.RootElement.GetProperty("instances").GetArrayLength());
    }

    [Fact]
    public async Task Status_shows_the_live_instances_and_disable_exits_3_when_configuration_forces_one_on()
    {
        await _store.SaveAsync(MaintenanceState.Off("Storefront") with { Version = 1 }, 0, Audit("Storefront"));
        await ReportAsync("web-1", version: 1);
        await ReportAsync("web-2", version: 1, forced: true);

        var status = await _cli.RunAsync("status", "--file", "s.json", "-a", "Storefront");
        var disable = await _cli.RunAsync("disable", "--file", "s.json", "-a", "Storefront", "-r", "done");

        Assert.Contains("  instances:            2 live", status.Output, StringComparison.Ordinal);
        Assert.Contains("    web-1 on host: applied v1, '*' v0, serving", status.Output, StringComparison.Ordinal);
        Assert.Contains("    web-2 on host: applied v1, '*' v0, in maintenance, forced on by configuration (MaintenanceMode:Enabled=true)", status.Output, StringComparison.Ordinal);
        Assert.True(disable.ExitCode == 3, disable.ToString());
        Assert.Equal(
            "error: Storefront stays in maintenance on 1 instance(s): configuration forces it on there (MaintenanceMode:Enabled=true), which the store cannot switch off: web-2 on host. Remove the setting and restart them.",
            disable.Error.Trim());
    }

    [Fact]
    public async Task An_application_only_an_instance_reports_is_known()
    {
        await _store.ReportAsync(InstanceReport("back-1", "BackOffice", 0) with { Applications = ["Search"] });

        var search = await _cli.RunAsync("status", "--file", "s.json", "-a", "Search");
        var typo = await _cli.RunAsync("status", "--file", "s.json", "-a", "Serch");

        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Equal("error: --app: unknown application 'Serch'; known: BackOffice, Search. Check the name, or pass --new-app to switch a new application. Nothing changed.", typo.Error.Trim());
    }

    private Task ReportAsync(string id, long version, bool forced = false) =>
        _store.ReportAsync(InstanceReport(id, "Storefront", version) with { ForcedByConfiguration = forced, InMaintenance = forced });

    private static MaintenanceInstanceReport InstanceReport(string id, string application, long version) => new()
    {
        InstanceId = id,
        SessionId = "s-" + id,
        Application = application,
        HostName = "host",
        HeartbeatInterval = TimeSpan.FromSeconds(5),
        AppliedVersions = new Dictionary<string, long> { [application] = version },
        Drained = true,
    };

    /// <summary>Plays instances that apply each stored state as it changes, and report it drained.</summary>
    private CancellationTokenSource FollowAsync(params string[] ids)
    {
        var stop = new CancellationTokenSource();
        _ = _store.WatchAsync(
            async ct =>
            {
                var states = await _store.GetStatesAsync(ct);
                var version = states.SingleOrDefault(s => s.Application == "Storefront")?.Version ?? 0;
                foreach (var id in ids)
                {
                    await _store.ReportAsync(InstanceReport(id, "Storefront", version) with { InMaintenance = states.Any(s => s.Enabled) }, ct);
                }
            },
            stop.Token);
        return stop;
    }

    private static MaintenanceAuditEntry Audit(string application) => new()
    {
        Timestamp = DateTimeOffset.UtcNow,
        Action = MaintenanceAction.Disable,
        Application = application,
        Reason = "seed",
        Actor = "tester",
        Source = "test",
        Before = MaintenanceState.Off(application),
        After = MaintenanceState.Off(application),
    };
}
