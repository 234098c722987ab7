using MaintenanceMiddleware;
using Microsoft.Extensions.Time.Testing;

namespace MaintenanceMiddleware.Cli.Tests;

/// <summary><c>maintenance bypass create | list | revoke</c> (issue 10, part 1).</summary>
public class CliBypassTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 25, 13, 45, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(s_now);
    private readonly InMemoryMaintenanceStateStore _store = new();
    private readonly CliRunner _cli;

    public CliBypassTests() => _cli = new CliRunner(_time, _store);

    [Fact]
    public async Task Create_prints_one_absolute_url_then_list_and_revoke()
    {
        var create = await _cli.RunAsync("bypass", "create", "--file", "s.json", "--app", "Storefront", "--for", "2h", "--name", "QA Anna", "--reason", "release check", "--base-url", "https://shop.example/");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.Matches("^https://shop\\.example/_maintenance/pass/[0-9a-f]{16}\\.[A-Za-z0-9_-]{43}$", create.Output.Trim());
        var link = Assert.Single(Assert.Single(await _store.GetStatesAsync()).BypassLinks);
        Assert.Equal("QA Anna", link.Name);
        Assert.Equal($"cli:{Environment.UserName}@{Environment.MachineName}", link.CreatedBy);

        var list = await _cli.RunAsync("bypass", "list", "--file", "s.json");
        Assert.Equal($"{link.Id}  Storefront  'QA Anna'  until 2026-11-25 15:45 UTC (2h left)  by {link.CreatedBy}  never used", list.Output.Trim());

        var revoke = await _cli.RunAsync("bypass", "revoke", link.Id, "--file", "s.json");
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal($"Bypass link {link.Id} ('QA Anna') revoked; it no longer opens Storefront.", revoke.Output.Trim());
        Assert.Equal("No live bypass links.", (await _cli.RunAsync("bypass", "list", "--file", "s.json")).Output.Trim());

        var log = await _cli.RunAsync("log", "--file", "s.json");
        Assert.Contains("bypass revoke  Storefront", log.Output, StringComparison.Ordinal);
        Assert.Contains("bypass create  Storefront", log.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(create.Output.Trim()[(create.Output.IndexOf('.', create.Output.IndexOf("pass/", StringComparison.Ordinal)) + 1)..], log.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_without_base_url_prints_the_path()
    {
        var create = await _cli.RunAsync("bypass", "create", "--file", "s.json", "--app", "*", "--for", "30m", "--name", "QA", "--reason", "r");

        Assert.Equal(0, create.ExitCode);
        Assert.StartsWith("/_maintenance/pass/", create.Output.Trim(), StringComparison.Ordinal);
        Assert.Equal(MaintenanceState.AllApplications, Assert.Single(await _store.GetStatesAsync()).Application);
    }

    [Theory]
    [InlineData("--for", "25h", "error: --for: The lifetime 1d1h is longer than the longest allowed, 1d (MaintenanceMode:BypassLinkMaxLifetime). Nothing changed.")]
    [InlineData("--for", "soon", "error: --for: ")]
    [InlineData("--base-url", "ftp://x", "error: --base-url: 'ftp://x' is not an http(s) URL, e.g. https://shop.example.")]
    public async Task Bad_create_exits_2_naming_the_option(string option, string value, string error)
    {
        string[] args = ["bypass", "create", "--file", "s.json", "--app", "Storefront", "--for", "1h", "--name", "QA", "--reason", "r"];
        var index = Array.IndexOf(args, option);
        if (index >= 0)
        {
            args[index + 1] = value;
        }
        else
        {
            args = [.. args, option, value];
        }

        var result = await _cli.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith(error, result.Error.Trim(), StringComparison.Ordinal);
        Assert.Empty(await _store.GetAuditTrailAsync());
    }

    [Fact]
    public async Task Create_without_app_is_a_usage_error_so_star_is_only_used_when_asked()
    {
        var result = await _cli.RunAsync("bypass", "create", "--file", "s.json", "--for", "1h", "--name", "QA", "--reason", "r");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--app", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_of_an_unknown_id_exits_2_with_the_reason()
    {
        var result = await _cli.RunAsync("bypass", "revoke", "0123456789abcdef", "--file", "s.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: <id>: There is no bypass link '0123456789abcdef'; 'maintenance bypass list' shows the live ones. Nothing changed.", result.Error.Trim());
    }
}
