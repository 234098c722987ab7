using System.Text.Json;
using MaintenanceMiddleware;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Cli.Tests;

public class CliInProcessTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly InMemoryMaintenanceStateStore _store = new();
    private readonly CliRunner _cli;

    public CliInProcessTests() => _cli = new CliRunner(_time, _store);

    [Fact]
    public async Task Enable_for_all_applications_prints_a_pipeline_sentence()
    {
        var result = await _cli.RunAsync("enable", "--file", "state.json", "--all", "--reason", "Release 42", "--for", "15m");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Maintenance enabled for all applications until 2026-11-25 14:00 UTC (15m). Reason: Release 42. Version 1.", result.Output.Trim());
        var entry = Assert.Single(await _store.GetAuditTrailAsync());
        Assert.Equal(MaintenanceState.AllApplications, entry.Application);
        Assert.Equal($"cli:{Environment.UserName}@{Environment.MachineName}", entry.Actor);
        Assert.Equal("cli", entry.Source);
    }

    [Fact]
    public async Task Enable_one_application_with_until_start_allow_and_read_only()
    {
        var result = await _cli.RunAsync("enable", "--file", "s.json", "--app", "Storefront", "--new-app", "--reason", "Tonight", "--starts-at", "2026-11-25T22:00:00Z",
            "--until", "2026-11-25T23:30:00+00:00", "--allow", "10.0.0.0/8", "--allow", "2001:db8::1", "--read-only");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            "Maintenance scheduled for Storefront (read-only) from 2026-11-25 22:00 UTC (in 8h15m) until 2026-11-25 23:30 UTC (1h30m). Reason: Tonight. Also let through: 10.0.0.0/8, 2001:db8::1/128. Version 1.",
            result.Output.Trim());
        var state = Assert.Single(await _store.GetStatesAsync());
        Assert.Equal(MaintenanceMode.ReadOnly, state.Mode);
    }

    [Fact]
    public async Task Status_log_and_disable_round_trip()
    {
        await _cli.RunAsync("enable", "--file", "s.json", "--app", "Storefront", "--new-app", "--reason", "Release 42", "--for", "15m");
        _time.Advance(TimeSpan.FromMinutes(3));

        var status = await _cli.RunAsync("status", "--file", "s.json", "--app", "Storefront");
        Assert.Equal(0, status.ExitCode);
        Assert.StartsWith("Storefront: IN MAINTENANCE until 2026-11-25 14:00 UTC (12m left). Reason: Release 42.", status.Output, StringComparison.Ordinal);

        var disable = await _cli.RunAsync("disable", "--file", "s.json", "--app", "Storefront", "--reason", "Release 42 done");
        Assert.Equal(0, disable.ExitCode);
        Assert.Equal("Maintenance disabled for Storefront. Reason: Release 42 done. Version 2.", disable.Output.Trim());

        var after = await _cli.RunAsync("status", "--file", "s.json", "--app", "Storefront");
        Assert.StartsWith("Storefront: not in maintenance. Reason: Release 42 done.", after.Output, StringComparison.Ordinal);

        var log = await _cli.RunAsync("log", "--file", "s.json");
        var lines = log.Output.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("disable  Storefront", lines[0], StringComparison.Ordinal);
        Assert.Contains("Reason: Release 42 done", lines[0], StringComparison.Ordinal);
        Assert.Contains("enable   Storefront until 2026-11-25 14:00 UTC", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_an_application_shows_the_environment_wide_window()
    {
        await _cli.RunAsync("enable", "--file", "s.json", "--all", "--reason", "DB upgrade");

        var result = await _cli.RunAsync("status", "--file", "s.json", "--app", "Storefront", "--new-app");

        Assert.StartsWith("Storefront: IN MAINTENANCE (environment-wide, all applications) until it is disabled. Reason: DB upgrade.", result.Output, StringComparison.Ordinal);
        var all = await _cli.RunAsync("status", "--file", "s.json", "--all");
        Assert.StartsWith("All applications: IN MAINTENANCE", all.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_machine_readable()
    {
        var enable = await _cli.RunAsync("enable", "--file", "s.json", "--app", "Storefront", "--new-app", "--reason", "x", "--json");
        var status = await _cli.RunAsync("status", "--file", "s.json", "--app", "Storefront", "--json");
        var log = await _cli.RunAsync("log", "--file", "s.json", "--json", "--limit", "5");

        Assert.Equal(1, JsonDocument.Parse(enable.Output).RootElement.GetProperty("version").GetInt64());
        Assert.True(JsonDocument.Parse(status.Output).RootElement.GetProperty("isActive").GetBoolean());
        Assert.Equal("Enable", JsonDocument.Parse(log.Output).RootElement[0].GetProperty("action").GetString());
    }

    public static TheoryData<string[], string> BadUsage => new()
    {
        { ["enable", "--all", "--file", "s.json"], "--reason" },
        { ["disable", "--all", "--file", "s.json"], "--reason" },
        { ["enable", "--all", "--file", "s.json", "--reason", ""], "reason is required" },
        { ["enable", "--all", "--file", "s.json", "--reason", "   "], "reason is required" },
        { ["enable", "--all", "--file", "s.json", "--reason", new string('x', 501)], "500" },
        { ["enable", "--all", "--file", "s.json", "--reason", "two\nlines"], "control character" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--for", "soon"], "--for" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--for", "15m", "--until", "2026-11-25T15:00Z"], "not both" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--until", "2026-11-25T13:00:00Z"], "in the past" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--until", "yesterday"], "--until" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--starts-at", "2026-11-25T16:00Z", "--until", "2026-11-25T15:00Z"], "not after the start" },
        { ["enable", "--file", "s.json", "--reason", "x", "--app", "../etc"], "--app" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--allow", "10.0.0.0/33"], "--allow" },
        { ["enable", "--all", "--file", "s.json", "--url", "http://x/_maintenance", "--reason", "x"], "Choose one target" },
        { ["enable", "--all", "--url", "ftp://x", "--api-key", "k", "--reason", "x"], "--url" },
        { ["enable", "--all", "--url", "http://127.0.0.1:9/_maintenance", "--reason", "x"], "API key is required" },
        { ["log", "--file", "s.json", "--limit", "0"], "--limit" },
        { ["log", "--file", "s.json", "--limit", "10001"], "--limit: The limit must be a whole number between 1 and 10000 (got 10001)." },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--for", string.Concat(Enumerable.Repeat("999999d", 40))], "--for: '999999d" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--for", "367d"], "longer than the longest window, 366 days" },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--starts-at", "9999-12-31T00:00:00Z", "--for", "2d"], "--starts-at: The start time 9999-12-31T00:00:00.0000000+00:00 is more than 366 days away." },
        { ["enable", "--all", "--file", "s.json", "--reason", "x", "--until", "9999-12-31T23:59:59Z"], "--until: The end time" },
        { ["enable", "--all", "--file", "s.json", "--reason", "Release \u202E24"], "--reason: The reason contains a format character (such as a bidi override) (U+202E)" },
        { ["enable", "--all", "--file", "s.json", "--reason", "one\u2028two"], "--reason: The reason contains a line separator (U+2028)" },
        { ["disable", "--all", "--file", "s.json", "--reason", "x", "--expected-version", "-1"], "--expected-version: The expected version must be 0 or more" },
        { ["enable", "--all", "--url", "http://127.0.0.1:9/_maintenance", "--api-key", "line\nbreak", "--reason", "x"], "--api-key (or MAINTENANCE_API_KEY): the key contains a character a header cannot carry (U+000A, position 5)" },
        { ["hash-key", "--name", "my key", "k"], "--name: the key name must be 1-64 characters without white space" },
        { ["status", "--all", "--file", "s.json", "--bogus"], "--bogus" },
        { ["frobnicate"], "frobnicate" },
        { [], "command" },
        { ["migrate"], "--postgres" },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task Bad_usage_exits_2_with_a_precise_error_and_changes_nothing(string[] args, string expected)
    {
        var result = await _cli.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await _store.GetAuditTrailAsync());
        Assert.Empty(await _store.GetStatesAsync());
    }

    [Fact]
    public async Task Api_key_over_plain_http_to_another_host_warns_on_stderr()
    {
        var cli = new CliRunner(_time, _store, urlStore: true);

        var remote = await cli.RunAsync("status", "--all", "--url", "http://maintenance.example.com/_maintenance", "--api-key", "k");
        var loopback = await cli.RunAsync("status", "--all", "--url", "http://127.0.0.1:5000/_maintenance", "--api-key", "k");
        var localhost = await cli.RunAsync("status", "--all", "--url", "http://localhost:5000/_maintenance", "--api-key", "k");
        var tls = await cli.RunAsync("status", "--all", "--url", "https://maintenance.example.com/_maintenance", "--api-key", "k");

        Assert.True(remote.ExitCode == 0, remote.ToString());
        Assert.Equal("warning: the API key is sent over plain http:// to maintenance.example.com, where anyone on the path can read it; use https://.", remote.Error.Trim());
        Assert.All([loopback, localhost, tls], r => Assert.True(r.ExitCode == 0 && r.Error.Length == 0, r.ToString()));
    }

    [Fact]
    public async Task Target_can_come_from_the_environment()
    {
        var cli = new CliRunner(_time, _store, new Dictionary<string, string> { [CliApplication.FileVariable] = "s.json" });

        var result = await cli.RunAsync("enable", "--all", "--reason", "From env");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(await _store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Unreachable_store_exits_1()
    {
        var cli = new CliRunner(_time, new FailingStore());

        var result = await cli.RunAsync("enable", "--file", "s.json", "--all", "--reason", "x");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("state store failed", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_postgres_exits_1_without_echoing_the_password()
    {
        var cli = new CliRunner(_time);

        var result = await cli.RunAsync("status", "--all", "--postgres", "Host=127.0.0.1;Port=1;Username=u;Password=s3cret;Database=d;Timeout=2");

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("s3cret", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hash_key_hashes_the_argument_or_stdin_and_generates_keys()
    {
        var fromArgument = await _cli.RunAsync("hash-key", "foo", "--name", "deploy");
        var fromStdin = await _cli.RunWithInputAsync("foo\n", "hash-key", "--name", "deploy");
        var generated = await _cli.RunAsync("hash-key", "--generate", "--json");

        const string fooHash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        Assert.Equal(0, fromArgument.ExitCode);
        Assert.Contains($"MaintenanceMode:ApiKeys:deploy:Hash = {fooHash}", fromArgument.Output, StringComparison.Ordinal);
        Assert.Contains($"MaintenanceMode__ApiKeys__deploy__Hash={fooHash}", fromStdin.Output, StringComparison.Ordinal);
        var json = JsonDocument.Parse(generated.Output).RootElement;
        Assert.Equal(MaintenanceApiKeyHash.Compute(json.GetProperty("key").GetString()!), json.GetProperty("hash").GetString());
        Assert.Equal(2, (await _cli.RunAsync("hash-key", "k", "--generate")).ExitCode);
    }

    private sealed class FailingStore : IMaintenanceStateStore
    {
        public Task<IReadOnlyList<MaintenanceState>> GetStatesAsync(CancellationToken cancellationToken = default) =>
            Task.FromException<IReadOnlyList<MaintenanceState>>(new MaintenanceStoreException("The state file is locked (test)."));

        public Task SaveAsync(MaintenanceState state, long expectedVersion, MaintenanceAuditEntry auditEntry, CancellationToken cancellationToken = default) =>
            Task.FromException(new MaintenanceStoreException("The state file is locked (test)."));

        public Task<IReadOnlyList<MaintenanceAuditEntry>> GetAuditTrailAsync(string? application = null, int limit = 100, CancellationToken cancellationToken = default) =>
            Task.FromException<IReadOnlyList<MaintenanceAuditEntry>>(new MaintenanceStoreException("The state file is locked (test)."));

        public Task WatchAsync(Func<CancellationToken, Task> onChanged, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
