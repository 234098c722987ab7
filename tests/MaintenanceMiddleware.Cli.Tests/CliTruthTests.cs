using MaintenanceMiddleware;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>Issue 11, item 4: a CLI that cannot lie. Every typo fails without changing anything; every success is true.</summary>
public sealed class CliTruthTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly InMemoryMaintenanceStateStore _store = new();
    private readonly CliRunner _cli;
    private readonly string _dir = Directory.CreateTempSubdirectory("mm-cli-truth-").FullName;

    public CliTruthTests() => _cli = new CliRunner(_time, _store);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string[], string> Refused => new()
    {
        { ["enable", "--file", "s.json", "--reason", "x"], "error: --app NAME is required (e.g. --app Storefront), or --all for every application (the environment-wide entry '*')." },
        { ["disable", "--file", "s.json", "--reason", "x"], "error: --app NAME is required (e.g. --app Storefront), or --all for every application (the environment-wide entry '*')." },
        { ["status", "--file", "s.json"], "error: --app NAME is required (e.g. --app Storefront), or --all for every application (the environment-wide entry '*')." },
        { ["enable", "--file", "s.json", "--app", "Storefront", "--all", "--reason", "x"], "error: Give --app NAME or --all, not both." },
        { ["status", "--file", "s.json", "-a", "Storefront", "--all"], "error: Give --app NAME or --all, not both." },
        { ["enable", "--file", "s.json", "--app", "*", "--reason", "x"], "error: --app '*': write --all for every application." },
        { ["enable", "--file", "s.json", "--all", "--reason", "x", "--for", "15"], "error: --for: '15' has no unit; write 15m (minutes), 15h or 15s." },
        { ["bypass", "create", "--file", "s.json", "-a", "Storefront", "--for", "2", "--name", "QA", "-r", "x"], "error: --for: '2' has no unit; write 2m (minutes), 2h or 2s." },
        { ["enable", "--file", "s.json", "-a", "Storfront", "-r", "x"], "error: --app: unknown application 'Storfront'; the test store has no application yet (no stored state, no audit entry, no instance reporting). Check the name, or pass --new-app to switch it for the first time. Nothing changed." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Refused_usage_exits_2_with_the_exact_message_and_changes_nothing(string[] args, string expected)
    {
        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(expected, result.Error.Trim());
        Assert.Empty(await _store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Unknown_application_is_refused_with_the_known_names_unless_new_app()
    {
        await SeedAsync("Storefront", "BackOffice");

        var typo = await _cli.RunAsync("enable", "--file", "s.json", "-a", "Storfront", "-r", "Release 42");
        var status = await _cli.RunAsync("status", "--file", "s.json", "-a", "Storfront");
        var otherCase = await _cli.RunAsync("status", "--file", "s.json", "-a", "storefront");
        var created = await _cli.RunAsync("enable", "--file", "s.json", "-a", "Checkout", "--new-app", "-r", "First switch");

        Assert.Equal(2, typo.ExitCode);
        Assert.Equal("error: --app: unknown application 'Storfront'; known: BackOffice, Storefront. Check the name, or pass --new-app to switch a new application. Nothing changed.", typo.Error.Trim());
        Assert.Equal(2, status.ExitCode);
        Assert.True(otherCase.ExitCode == 0, otherCase.ToString());
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(3, (await _store.GetAuditTrailAsync()).Count);
    }

    [Fact]
    public async Task Disable_that_leaves_the_application_in_maintenance_through_star_exits_3_naming_who_and_when()
    {
        await SeedAsync("Storefront");
        _time.Advance(TimeSpan.FromMinutes(5));
        await _cli.RunAsync("enable", "--file", "s.json", "--all", "-r", "DB upgrade");

        var result = await _cli.RunAsync("disable", "--file", "s.json", "-a", "Storefront", "-r", "Release done");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("Maintenance disabled for Storefront. Reason: Release done. Version 2.", result.Output.Trim());
        Assert.Equal(
            $"error: Storefront is still in maintenance through the environment-wide entry '*' (all applications) (enabled by cli:{Environment.UserName}@{Environment.MachineName} at 2026-11-25 13:50 UTC). Reason: DB upgrade. Run 'maintenance disable --all' to end it.",
            result.Error.Trim());
        var all = await _cli.RunAsync("disable", "--file", "s.json", "--all", "-r", "DB done");
        Assert.True(all.ExitCode == 0, all.ToString());
    }

    [Fact]
    public async Task Enable_when_already_on_says_so_updates_the_options_and_exits_0()
    {
        await SeedAsync("Storefront");

        var again = await _cli.RunAsync("enable", "--file", "s.json", "-a", "Storefront", "-r", "Still releasing", "-m", "Back at 15:00.", "--for", "1h");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(
            $"Already in maintenance (enabled by cli:{Environment.UserName}@{Environment.MachineName} at 2026-11-25 13:45 UTC); the window and options are updated. Maintenance enabled for Storefront until 2026-11-25 14:45 UTC (1h). Reason: Still releasing. Visitors see: Back at 15:00. Version 2.",
            again.Output.Trim());
        Assert.Equal("Back at 15:00.", Assert.Single(await _store.GetStatesAsync()).Message);
    }

    [Fact]
    public async Task Status_shows_the_effective_state_the_own_entry_and_star()
    {
        await SeedAsync("Storefront");
        await _cli.RunAsync("disable", "--file", "s.json", "-a", "Storefront", "-r", "done");
        await _cli.RunAsync("enable", "--file", "s.json", "--all", "-r", "DB upgrade");

        var result = await _cli.RunAsync("status", "--file", "s.json", "-a", "Storefront");

        var lines = result.Output.TrimEnd().Split(Environment.NewLine);
        var by = $"cli:{Environment.UserName}@{Environment.MachineName} at 2026-11-25 13:45 UTC";
        Assert.Equal(4, lines.Length);
        Assert.Equal("  instances:            no live instance reports to this store", lines[3]);
        Assert.StartsWith("Storefront: IN MAINTENANCE (environment-wide, all applications) until it is disabled. Reason: DB upgrade.", lines[0], StringComparison.Ordinal);
        Assert.Equal($"  own entry:            off (changed by {by}), version 2", lines[1]);
        Assert.Equal($"  environment-wide '*': on (enabled by {by}), version 1", lines[2]);
    }

    [Fact]
    public async Task Bare_maintenance_prints_the_help_and_exits_2_and_every_verb_shows_an_example()
    {
        var bare = await _cli.RunAsync();

        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("enable", bare.Output, StringComparison.Ordinal);
        Assert.Contains("3 disable switched the entry off", bare.Output, StringComparison.Ordinal);
        Assert.Equal("error: no command given; choose one of enable, disable, status, instances, log, migrate, hash-key, bypass.", bare.Error.Trim());
        foreach (var verb in new[] { "enable", "disable", "status", "instances", "log", "migrate", "hash-key" })
        {
            var help = await _cli.RunAsync(verb, "--help");
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.Contains($"Example: maintenance {verb} ", help.Output, StringComparison.Ordinal);
        }

        var rootHelp = await _cli.RunAsync("--help");
        Assert.True(rootHelp.ExitCode == 0 && rootHelp.Error.Length == 0, rootHelp.ToString());
        var bypass = await _cli.RunAsync("bypass", "create", "--help");
        Assert.Contains("Example: maintenance bypass create ", bypass.Output, StringComparison.Ordinal);
        Assert.Contains("-a, --app", (await _cli.RunAsync("enable", "--help")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_key_prints_a_variable_name_a_posix_shell_can_export()
    {
        var result = await _cli.RunAsync("hash-key", "foo");

        var line = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("Environment:", StringComparison.Ordinal));
        var assignment = line["Environment:".Length..].Trim();
        Assert.Matches("^[A-Za-z_][A-Za-z0-9_]*=[0-9a-f]{64}$", assignment);
        Assert.StartsWith("MaintenanceMode__ApiKeys__pipeline__Hash=", assignment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_is_refused_unless_create_and_no_folder_is_ever_created()
    {
        var cli = new CliRunner(_time);
        var file = Path.Combine(_dir, "state.json");
        var inMissingFolder = Path.Combine(_dir, "typo", "state.json");

        var missing = await cli.RunAsync("enable", "--file", file, "--all", "-r", "x");
        var status = await cli.RunAsync("status", "--file", file, "--all");
        var noFolder = await cli.RunAsync("enable", "--file", inMissingFolder, "--create", "--all", "-r", "x");

        Assert.Equal(2, missing.ExitCode);
        Assert.Equal($"error: --file: '{file}' does not exist. Check the path (the app's MaintenanceMode:FileStore:Path), or pass --create to start a new state file there. Nothing changed.", missing.Error.Trim());
        Assert.Equal(2, status.ExitCode);
        Assert.False(File.Exists(file));
        Assert.Equal(2, noFolder.ExitCode);
        Assert.Equal($"error: --file: the folder '{Path.GetDirectoryName(inMissingFolder)}' does not exist; the CLI never creates folders. Create it first (mkdir -p), then run again with --create. Nothing changed.", noFolder.Error.Trim());
        Assert.False(Directory.Exists(Path.GetDirectoryName(inMissingFolder)));

        var created = await cli.RunAsync("enable", "--file", file, "--create", "--all", "-r", "x");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(File.Exists(file));
        var folder = await cli.RunAsync("status", "--file", _dir, "--all");
        Assert.Equal(2, folder.ExitCode);
        Assert.Contains("is a folder", folder.Error, StringComparison.Ordinal);
    }

    private async Task SeedAsync(params string[] applications)
    {
        foreach (var application in applications)
        {
            var result = await _cli.RunAsync("enable", "--file", "s.json", "-a", application, "--new-app", "-r", "Release 42");
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }
}
