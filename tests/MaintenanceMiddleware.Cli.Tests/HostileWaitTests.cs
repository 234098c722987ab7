using System.Text.RegularExpressions;
using MaintenanceMiddleware;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary>
/// Hostile tests of issue 11's new surface (instances, <c>--wait</c>, <c>status</c> instance lines) over the real file
/// store: instance files as a crashed writer, a hand edit or a hostile process leaves them, and names in other cases.
/// Each test states the outcome the README promises; they fail while the defect is there.
/// </summary>
public sealed class HostileWaitTests : IDisposable
{
    private static readonly Dictionary<string, string> s_noEnvironment = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("mm-cli-hostile-").FullName;
    private readonly CliRunner _cli = new(TimeProvider.System, environment: s_noEnvironment);

    private string StatePath => Path.Combine(_folder, "state.json");

    private string InstancesFolder => Path.Combine(_folder, "state.instances");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<string, string> NullCollections => new()
    {
        { "\"applications\":[]", "\"applications\":null" },
        { "\"appliedVersions\":{\"Storefront\":0}", "\"appliedVersions\":null" },
    };

    // "An instance file that is corrupt (ignored with a warning, never blocks a switch)": a report whose collections are
    // JSON null passes the reader's required-field check and then crashes every verb with a NullReferenceException /
    // ArgumentNullException stack trace (enable --wait even after the change was stored).
    [Theory]
    [MemberData(nameof(NullCollections))]
    public async Task An_instance_file_with_a_null_collection_is_an_unreadable_entry_and_never_crashes_a_verb(string valid, string hostile)
    {
        await SeedStateAsync();
        await ReportAsync(Report("web-1", "Storefront", 0));
        var file = Assert.Single(Directory.GetFiles(InstancesFolder));
        var json = await File.ReadAllTextAsync(file);
        Assert.Contains(valid, json, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, json.Replace(valid, hostile, StringComparison.Ordinal));
        var entry = "warning: ignored an unreadable entry: state.instances/" + Path.GetFileName(file);

        var instances = await _cli.RunAsync("instances", "--file", StatePath);
        var status = await _cli.RunAsync("status", "--file", StatePath, "-a", "Storefront");
        var enable = await _cli.RunAsync("enable", "--file", StatePath, "-a", "Storefront", "-r", "Release 42", "--wait", "5s");

        Assert.True(instances.ExitCode == 0, instances.ToString());
        Assert.Contains(entry, instances.Output, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(enable.ExitCode == 0, enable.ToString());
        Assert.Contains(entry, enable.Output, StringComparison.Ordinal);
    }

    // The reporter keys AppliedVersions by the stored name ("storefront", as the first switch spelled it) while the
    // instance serves "Storefront"; after the JSON round trip the dictionary is case-sensitive, so `instances` says
    // "v0 ... 1 behind" and `status` "applied v0" for an instance that applied v1 and is in maintenance.
    [Fact]
    public async Task Instances_and_status_show_an_instance_that_applied_the_state_stored_under_another_case_as_up_to_date()
    {
        var enable = await _cli.RunAsync("enable", "--file", StatePath, "--create", "--new-app", "-a", "storefront", "-r", "Release 42");
        Assert.True(enable.ExitCode == 0, enable.ToString());
        await ReportAsync(Report("web-1", "Storefront", 0) with
        {
            AppliedVersions = new Dictionary<string, long> { ["storefront"] = 1 },
            InMaintenance = true,
        });

        var instances = await _cli.RunAsync("instances", "--file", StatePath, "-a", "Storefront");
        var status = await _cli.RunAsync("status", "--file", StatePath, "-a", "Storefront");

        Assert.True(instances.ExitCode == 0, instances.ToString());
        Assert.Matches(@"(?m)^Storefront\s+host\s+web-1\s+v1 \*v0\s+0\s+0\s+0\s+", instances.Output);
        Assert.Contains("    web-1 on host: applied v1, '*' v0, in maintenance", status.Output, StringComparison.Ordinal);
    }

    // status, enable and disable refuse an application the store never saw; `instances --app Storfront` exits 0 and
    // says "No instance reports to this store" while a Storefront instance does report.
    [Fact]
    public async Task Instances_with_a_mistyped_app_is_refused_as_unknown_like_status_and_never_claims_no_instance_reports()
    {
        await SeedStateAsync();
        await ReportAsync(Report("web-1", "Storefront", 1));

        var result = await _cli.RunAsync("instances", "--file", StatePath, "-a", "Storfront");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: --app: unknown application 'Storfront'; known: Storefront.", result.Error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("No instance reports to this store", result.Output, StringComparison.Ordinal);
    }

    // Names that come from instance reports go to the terminal raw in the "known:" list of the unknown-application error.
    [Fact]
    public async Task The_unknown_application_error_escapes_names_that_instances_report()
    {
        await SeedStateAsync();
        await ReportAsync(Report("web-1", "Storefront", 1) with { Applications = ["Other\u001b]0;pwned\u0007\u001b[2J"] });

        var result = await _cli.RunAsync("status", "--file", StatePath, "-a", "Storfront");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain('\u001b', result.Error);
        Assert.DoesNotContain('\u0007', result.Error);
        Assert.Contains(@"Other\u001B]0;pwned\u0007\u001B[2J", result.Error, StringComparison.Ordinal);
    }

    // One report whose application is not a valid name (hand-edited, another tool, an old version) makes `instances`
    // fail with exit 2 blaming --app, which the operator never gave; the healthy instance is not listed either.
    [Fact]
    public async Task Instances_lists_every_instance_even_when_one_reports_an_invalid_application_name()
    {
        await SeedStateAsync();
        await ReportAsync(Report("web-1", "Storefront", 1));
        await ReportAsync(Report("odd-1", "Shop\u001b[2J", 0));

        var result = await _cli.RunAsync("instances", "--file", StatePath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^Storefront\s+host\s+web-1\s+v1 \*v0\s+0\s+", result.Output);
        Assert.Contains(@"Shop\u001B[2J", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Output);
    }

    // An app started on the file store reports itself (state.instances/ appears) but writes no state file until the
    // first switch. `maintenance instances --file <that path>`, the first thing an operator runs to see what is up,
    // is then refused (exit 2, "does not exist ... pass --create"), though the instances are right there.
    [Fact]
    public async Task Instances_lists_the_instances_of_a_file_store_that_was_never_switched()
    {
        await ReportAsync(Report("web-1", "Storefront", 0));
        Assert.False(File.Exists(StatePath));

        var result = await _cli.RunAsync("instances", "--file", StatePath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^Storefront\s+host\s+web-1\s+v0 \*v0\s+0\s+", result.Output);
        Assert.False(File.Exists(StatePath));
    }

    // README: "An entry that cannot be read is listed as a warning". When no entry is readable, `instances` prints only
    // "No instance reports to this store" and `enable --wait` "No live instance ...: nothing to confirm": the
    // warnings are dropped exactly when they matter most (the one instance there is may be the unreadable one).
    [Theory]
    [InlineData("instances")]
    [InlineData("enable")]
    public async Task The_unreadable_entries_are_named_even_when_no_instance_is_readable(string verb)
    {
        await SeedStateAsync();
        Directory.CreateDirectory(InstancesFolder);
        await File.WriteAllTextAsync(Path.Combine(InstancesFolder, "broken.json"), "{ not json");
        string[] args = verb == "instances"
            ? ["instances", "--file", StatePath]
            : ["enable", "--file", StatePath, "-a", "Storefront", "-r", "Release 42", "--wait", "5s"];

        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ignored an unreadable entry: state.instances/broken.json: not JSON", result.Output + result.Error, StringComparison.Ordinal);
    }

    // `--wait=` (an empty value, as `--wait="$TIMEOUT"` with TIMEOUT unset gives) silently waits the default 60 s;
    // every other empty option value is refused. An explicit empty wait is bad usage (exit 2, nothing changed).
    [Fact]
    public async Task An_explicitly_empty_wait_is_refused_and_changes_nothing()
    {
        await SeedStateAsync();

        var result = await _cli.RunAsync("disable", "--file", StatePath, "-a", "Storefront", "-r", "done", "--wait=");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: --wait:", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Matches(new Regex("\"version\":\\s*1\\b"), await File.ReadAllTextAsync(StatePath));
    }

    // A store of one's own without IMaintenanceInstanceRegistry: `enable --wait` stores the switch, then fails with
    // exit 1 ("keeps no instance registry"), which the README lists beside "nothing changed" failures; a pipeline
    // that retries or rolls back on exit 1 does not know the shop is now closed. The wait must be refused first.
    [Fact]
    public async Task Enable_wait_on_a_store_without_registry_exits_1_and_changes_nothing()
    {
        var inner = new InMemoryMaintenanceStateStore();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var app = new CliApplication(output, error, TextReader.Null, _ => null, TimeProvider.System, new NoRegistryTargets(new NoRegistryStore(inner)));

        var code = await app.RunAsync(["enable", "--file", "s.json", "-a", "Storefront", "--new-app", "-r", "Release 42", "--wait", "5s"]);
        var result = new CliResult(code, output.ToString(), error.ToString());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no instance registry", result.Error, StringComparison.Ordinal);
        Assert.Empty(await inner.GetStatesAsync());
    }

    // The same on PostgreSQL with a schema migrated before issue 11 (no maintenance_instances table yet, as after
    // upgrading the tool first): `enable --wait` commits the switch, then prints only "The state store failed: ...
    // Run `maintenance migrate`" and exits 1; not even the "Maintenance enabled" line. The shop is closed and the
    // pipeline believes nothing happened.
    [Fact]
    public async Task Enable_wait_on_a_postgres_schema_without_the_instances_table_exits_1_and_changes_nothing()
    {
        var connectionString = Environment.GetEnvironmentVariable("MM_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("MM_TEST_POSTGRES is not set: this test needs a PostgreSQL server (./test.sh starts one).");
        var schema = "mm_hostile_" + Guid.NewGuid().ToString("N")[..12];
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        try
        {
            var migrate = await _cli.RunAsync("migrate", "--postgres", connectionString, "--schema", schema);
            Assert.True(migrate.ExitCode == 0, migrate.ToString());
            await using (var drop = dataSource.CreateCommand($"DROP TABLE {schema}.maintenance_instances"))
            {
                await drop.ExecuteNonQueryAsync();
            }

            var result = await _cli.RunAsync("enable", "--postgres", connectionString, "--schema", schema, "-a", "Storefront", "--new-app", "-r", "Release 42", "--wait", "5s");

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("maintenance migrate", result.Error, StringComparison.Ordinal);
            await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {schema}.maintenance_state");
            Assert.Equal(0L, (long)(await count.ExecuteScalarAsync())!);
        }
        finally
        {
            await using var cleanup = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await cleanup.ExecuteNonQueryAsync();
        }
    }

    private async Task SeedStateAsync()
    {
        var enable = await _cli.RunAsync("enable", "--file", StatePath, "--create", "--new-app", "-a", "Storefront", "-r", "seed");
        Assert.True(enable.ExitCode == 0, enable.ToString());
    }

    private async Task ReportAsync(MaintenanceInstanceReport report)
    {
        var store = new FileMaintenanceStateStore(new FileStoreOptions { Path = StatePath });
        await store.ReportAsync(report);
    }

    private static MaintenanceInstanceReport Report(string id, string application, long version) => new()
    {
        InstanceId = id,
        SessionId = "s-" + id,
        Application = application,
        HostName = "host",
        HeartbeatInterval = TimeSpan.FromMinutes(1),
        AppliedVersions = new Dictionary<string, long> { [application] = version },
        Drained = true,
    };

    private sealed class NoRegistryStore(IMaintenanceStateStore inner) : IMaintenanceStateStore
    {
        public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) => inner.GetStatesAsync(cancellationToken);

        public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
            inner.SaveAsync(state, expectedVersion, auditEntry, cancellationToken);

        public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
            inner.GetAuditTrailAsync(application, limit, cancellationToken);

        public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => inner.WatchAsync(onChanged, cancellationToken);
    }

    private sealed class NoRegistryTargets(IMaintenanceStateStore store) : MaintenanceMiddleware.Cli.Targets.TargetFactory
    {
        public override MaintenanceMiddleware.Cli.Targets.IMaintenanceTarget Create(MaintenanceMiddleware.Cli.Targets.TargetSelection selection, TimeProvider time) =>
            new MaintenanceMiddleware.Cli.Targets.StoreTarget(store, "custom store", time);
    }
}
